import {
  revocationInstant,
  revokedBeforeIn,
  revokeOlderSessionsDocument,
} from '../../../../lambda/actions/iam-role';

const statement = (fields: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [fields] });
const revocation = (value: unknown, extra: Record<string, unknown> = {}) =>
  statement({
    Effect: 'Deny',
    Action: ['*'],
    Resource: ['*'],
    Condition: { DateLessThan: { 'aws:TokenIssueTime': value } },
    ...extra,
  });

describe('the revocation document', () => {
  it("is the console's, byte for byte, with the instant to the second in UTC", () => {
    expect(revokeOlderSessionsDocument(new Date('2024-05-06T07:08:09.000Z'))).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],"Resource":["*"],' +
        '"Condition":{"DateLessThan":{"aws:TokenIssueTime":"2024-05-06T07:08:09Z"}}}]}',
    );
  });

  it('rounds the instant up, never down: every session issued before it is revoked', () => {
    expect(revocationInstant(new Date('2024-05-06T07:08:09.000Z'))).toBe('2024-05-06T07:08:09Z');
    expect(revocationInstant(new Date('2024-05-06T07:08:09.001Z'))).toBe('2024-05-06T07:08:10Z');
    expect(revocationInstant(new Date('2024-12-31T23:59:59.999Z'))).toBe('2025-01-01T00:00:00Z');
  });
});

describe('revokedBeforeIn', () => {
  it('reads the instant of its own document and of the console (milliseconds, a lone "*")', () => {
    expect(revokedBeforeIn(revokeOlderSessionsDocument(new Date('2024-05-06T07:08:09Z')))).toBe(
      '2024-05-06T07:08:09Z',
    );
    expect(
      revokedBeforeIn(
        statement({
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { DateLessThan: { 'aws:tokenissuetime': '2024-05-01T10:11:12.345Z' } },
        }),
      ),
    ).toBe('2024-05-01T10:11:12.345Z');
  });

  it('takes the latest instant of several statements or values', () => {
    const two = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        JSON.parse(revocation('2024-01-01T00:00:00Z')).Statement[0],
        JSON.parse(revocation(['2024-03-01T00:00:00Z', '2024-02-01T00:00:00Z'])).Statement[0],
      ],
    });
    expect(revokedBeforeIn(two)).toBe('2024-03-01T00:00:00Z');
  });

  it('finds no revocation in a deny that is narrower than "every action of every session"', () => {
    const narrower = {
      'one action': statement({
        Effect: 'Deny',
        Action: 's3:*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-05-06T07:08:09Z' } },
      }),
      'one resource': statement({
        Effect: 'Deny',
        Action: '*',
        Resource: 'arn:aws:s3:::logs/*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-05-06T07:08:09Z' } },
      }),
      'a second condition': revocation('2024-05-06T07:08:09Z', {
        Condition: {
          DateLessThan: { 'aws:TokenIssueTime': '2024-05-06T07:08:09Z' },
          IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        },
      }),
      'a second key': revocation('2024-05-06T07:08:09Z', {
        Condition: {
          DateLessThan: {
            'aws:TokenIssueTime': '2024-05-06T07:08:09Z',
            'aws:CurrentTime': '2030-01-01T00:00:00Z',
          },
        },
      }),
      NotAction: revocation('2024-05-06T07:08:09Z', { NotAction: 'iam:*' }),
      'an Allow': revocation('2024-05-06T07:08:09Z', { Effect: 'Allow' }),
      'another key': revocation('2024-05-06T07:08:09Z', {
        Condition: { DateLessThan: { 'aws:CurrentTime': '2024-05-06T07:08:09Z' } },
      }),
      'no date': revocation('yesterday'),
      'not JSON': '{"Version":',
      'no statement': '{}',
    };
    expect(
      Object.fromEntries(Object.entries(narrower).map(([name, doc]) => [name, revokedBeforeIn(doc)])),
    ).toEqual(Object.fromEntries(Object.keys(narrower).map((name) => [name, null])));
  });
});
