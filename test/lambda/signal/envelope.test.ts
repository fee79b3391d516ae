import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stableId, wrapCloudTrailRecord, wrapGuardDutyFinding } from '../../../lambda/signal/envelope';
import { parse } from '../../../lambda/signal/parse';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'parser');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Json = Record<string, unknown>;

function fixtures(prefix: string): { name: string; event: Json }[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((file) => file.startsWith(prefix) && file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      event: JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Json,
    }));
}

describe('wrapCloudTrailRecord', () => {
  // The fixtures are events as EventBridge delivered them: wrapping their detail must give back the
  // same envelope, except the id (EventBridge's is random; ours derives from the record).
  it.each(fixtures('ct-').map(({ name, event }) => [name, event] as const))(
    '%s: re-wraps the record as EventBridge did',
    (_name, event) => {
      const detail = event.detail as Json;
      const wrapped = wrapCloudTrailRecord(detail);
      expect({ ...wrapped, id: 'x' }).toEqual({ ...event, id: 'x' });
      expect(wrapped.id).toMatch(UUID);
      expect(wrapped.detail).toBe(detail);
    },
  );

  it('maps each eventType to its detail-type and eventSource to the source', () => {
    const wrap = (record: Json) => {
      const { 'detail-type': detailType, source } = wrapCloudTrailRecord(record);
      return [detailType, source];
    };
    expect(wrap({ eventType: 'AwsApiCall', eventSource: 'iam.amazonaws.com' })).toEqual([
      'AWS API Call via CloudTrail',
      'aws.iam',
    ]);
    expect(wrap({ eventType: 'AwsConsoleSignIn', eventSource: 'signin.amazonaws.com' })).toEqual([
      'AWS Console Sign In via CloudTrail',
      'aws.signin',
    ]);
    expect(wrap({ eventType: 'AwsServiceEvent', eventSource: 'kms.amazonaws.com' })).toEqual([
      'AWS Service Event via CloudTrail',
      'aws.kms',
    ]);
    expect(wrap({ eventType: 'AwsCloudTrailInsight' })).toEqual([
      'AWS Insight via CloudTrail',
      'aws.cloudtrail',
    ]);
    // Records without an eventType, or with one EventBridge has no name for, go out as API calls.
    expect(wrap({ eventSource: 'sts.amazonaws.com' })).toEqual(['AWS API Call via CloudTrail', 'aws.sts']);
    expect(wrap({ eventType: 'AwsVpceEvent', eventSource: 's3.amazonaws.com' })).toEqual([
      'AWS API Call via CloudTrail',
      'aws.s3',
    ]);
  });

  it('leaves what the record lacks empty instead of inventing it', () => {
    expect(wrapCloudTrailRecord({ eventName: 'CreateUser', eventTime: 42 })).toEqual({
      version: '0',
      id: expect.stringMatching(UUID),
      'detail-type': 'AWS API Call via CloudTrail',
      source: '',
      account: '',
      time: '',
      region: '',
      resources: [],
      detail: { eventName: 'CreateUser', eventTime: 42 },
    });
  });

  it('derives the id from eventID: the same for the same event, different for another', () => {
    const a = wrapCloudTrailRecord({ eventID: 'a1b2', eventName: 'CreateUser' });
    expect(wrapCloudTrailRecord({ eventName: 'CreateUser', eventID: 'a1b2' }).id).toBe(a.id);
    // Re-deliveries of one event keep its id even if other fields were re-serialized.
    expect(wrapCloudTrailRecord({ eventID: 'a1b2', eventName: 'CreateUser', extra: 1 }).id).toBe(a.id);
    expect(wrapCloudTrailRecord({ eventID: 'a1b3', eventName: 'CreateUser' }).id).not.toBe(a.id);
    expect(a.id).not.toBe('a1b2');
  });

  it('without eventID, derives the id from the whole record, whatever its key order', () => {
    const a = wrapCloudTrailRecord({ eventName: 'CreateUser', userIdentity: { type: 'Root', arn: 'x' } });
    const b = wrapCloudTrailRecord({ userIdentity: { arn: 'x', type: 'Root' }, eventName: 'CreateUser' });
    const c = wrapCloudTrailRecord({ eventName: 'CreateUser', userIdentity: { type: 'Root', arn: 'y' } });
    expect(a.id).toMatch(UUID);
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it('parse reads a wrapped raw record the same as the delivered event, under the derived id', () => {
    for (const { event } of fixtures('ct-')) {
      const wrapped = wrapCloudTrailRecord(event.detail as Json);
      expect(parse(wrapped)).toEqual({ ...parse(event), eventId: wrapped.id });
    }
  });
});

describe('wrapGuardDutyFinding', () => {
  it.each(fixtures('gd-').map(({ name, event }) => [name, event] as const))(
    '%s: wraps the finding as EventBridge does',
    (_name, event) => {
      const finding = event.detail as Json;
      const wrapped = wrapGuardDutyFinding(finding);
      expect(wrapped).toEqual({
        version: '0',
        id: expect.stringMatching(UUID),
        'detail-type': 'GuardDuty Finding',
        source: 'aws.guardduty',
        account: event.account,
        time: finding.updatedAt,
        region: event.region,
        resources: [],
        detail: finding,
      });
      expect(parse(wrapped)).toEqual({ ...parse(event), eventId: wrapped.id });
    },
  );

  it('gives each update of a finding its own id, and the same update the same id', () => {
    const finding = fixtures('gd-iamuser-tor-caller')[0].event.detail as Json;
    const first = wrapGuardDutyFinding(finding).id;
    expect(wrapGuardDutyFinding(structuredClone(finding)).id).toBe(first);
    expect(wrapGuardDutyFinding({ ...finding, updatedAt: '2024-05-14T03:40:00.000Z' }).id).not.toBe(first);
    const service = { ...(finding.service as Json), count: 4 };
    expect(wrapGuardDutyFinding({ ...finding, service }).id).not.toBe(first);
  });

  it('uses createdAt when updatedAt is absent, and empty strings for what the finding lacks', () => {
    expect(
      wrapGuardDutyFinding({ type: 'Recon:EC2/PortProbeUnprotectedPort', createdAt: '2024-05-14T00:00:00Z' }),
    ).toMatchObject({ account: '', region: '', time: '2024-05-14T00:00:00Z' });
  });
});

describe('stableId', () => {
  it('is a UUID-shaped hash that never throws, even on cycles and odd values', () => {
    const cyclic: Json = { a: 1 };
    cyclic.self = cyclic;
    expect(stableId('t', cyclic)).toMatch(UUID);
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }),
        (value) => {
          expect(stableId('t', value)).toMatch(UUID);
          expect(stableId('t', value)).toBe(stableId('t', value));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('separates namespaces and values', () => {
    expect(stableId('a', 'x')).not.toBe(stableId('b', 'x'));
    expect(stableId('a', 'x')).not.toBe(stableId('a', 'y'));
    expect(stableId('a', [1, 2])).not.toBe(stableId('a', [2, 1]));
  });
});
