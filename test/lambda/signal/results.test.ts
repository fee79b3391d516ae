import { compact, fieldProblem, missingFields, reject } from '../../../lambda/signal/results';
import type { Signal } from '../../../lambda/signal/signal';

describe('results', () => {
  it('makes a rejection, with the event id only when there is one', () => {
    expect(reject('missing-field', 'm')).toEqual({
      kind: 'rejection',
      reason: 'missing-field',
      message: 'm',
    });
    expect(reject('missing-field', 'm', 'e')).toHaveProperty('eventId', 'e');
  });

  it('says what is wrong with a field', () => {
    expect(fieldProblem('awsRegion', '  ', 'an AWS region')).toBe('awsRegion is absent');
    expect(fieldProblem('awsRegion', '<region>', 'an AWS region')).toBe(
      'awsRegion is a placeholder ("<region>")',
    );
    expect(fieldProblem('awsRegion', 'moon', 'an AWS region')).toBe('awsRegion "moon" is not an AWS region');
    expect(fieldProblem('awsRegion', 7, 'an AWS region')).toBe(
      'awsRegion (a number (7)) is not an AWS region',
    );
    expect(missingFields('Record', ['a is absent', undefined, 'c is absent'])).toMatch(
      /^Record: a is absent; c is absent /,
    );
  });

  it('drops undefined keys from a signal and its principal', () => {
    const signal = {
      kind: 'signal',
      source: 'cloudtrail',
      eventId: 'e',
      time: '2025-01-01T00:00:00Z',
      region: 'us-east-1',
      accountId: '123456789012',
      credentialKind: 'unknown',
      partition: 'aws',
      sourceIp: undefined,
      principal: { type: 'Root', arn: undefined },
    } as Signal;
    const compacted = compact(signal);
    expect(Object.keys(compacted)).not.toContain('sourceIp');
    expect(Object.keys(compacted.principal)).toEqual(['type']);
  });
});
