import {
  accountIdOf,
  afterColon,
  arnName,
  assumedRoleParts,
  booleanOf,
  clean,
  credentialKindOf,
  firstRegion,
  isIdentityCenterRole,
  kindOf,
  parseArn,
  partitionOfArn,
  quote,
  timeOf,
  yesNoOf,
} from '../../../lambda/signal/values';

describe('clean', () => {
  it('trims, and reads empty strings, placeholders and non-strings as absent', () => {
    expect(clean('  alice ')).toBe('alice');
    expect(clean('')).toBeUndefined();
    expect(clean(' <Attacker source IP> ')).toBeUndefined();
    expect(clean(42)).toBeUndefined();
  });
});

describe('timeOf', () => {
  it('writes ISO 8601, reading a time without a zone as UTC', () => {
    expect(timeOf('2022-09-15 13:45:24')).toBe('2022-09-15T13:45:24Z');
    expect(timeOf('2025-02-25 20:40:06.721')).toBe('2025-02-25T20:40:06.721Z');
    expect(timeOf('2025-02-25T20:40:06+0100')).toBe('2025-02-25T20:40:06+01:00');
    expect(timeOf('2025-02-30T25:00:00Z')).toBeUndefined();
    expect(timeOf('yesterday')).toBeUndefined();
  });
});

describe('regions, accounts, credentials, booleans', () => {
  it('reads each only when it is what the field must hold', () => {
    expect(firstRegion('nowhere', ' eu-west-1 ')).toBe('eu-west-1');
    expect(accountIdOf('123456789012')).toBe('123456789012');
    expect(accountIdOf('12345')).toBeUndefined();
    expect(credentialKindOf('AKIAEXAMPLE', false)).toBe('long-term');
    expect(credentialKindOf('ASIAEXAMPLE', false)).toBe('temporary');
    expect(credentialKindOf(undefined, true)).toBe('none');
    expect(credentialKindOf(undefined, false)).toBe('unknown');
    expect(booleanOf(' TRUE ')).toBe(true);
    expect(booleanOf('no')).toBeUndefined();
    expect(yesNoOf('No')).toBe(false);
  });
});

describe('parseArn', () => {
  it('splits an ARN of an AWS partition, with colons kept in the resource', () => {
    expect(parseArn('arn:aws-iso-b:iam::123456789012:user/ops/alice')).toEqual({
      partition: 'aws-iso-b',
      service: 'iam',
      region: '',
      account: '123456789012',
      resource: 'user/ops/alice',
    });
    expect(parseArn('arn:aws:logs:us-east-1:123456789012:log-group:a:*')?.resource).toBe('log-group:a:*');
  });

  it('reads only ARNs of an AWS partition with a resource, and no account unless 12 digits', () => {
    expect(parseArn('arn:other:iam::123456789012:user/alice')).toBeUndefined();
    expect(parseArn('arn:aws:iam::123456789012:')).toBeUndefined();
    expect(parseArn('arn:aws:iam::123456789012')).toBeUndefined();
    expect(parseArn('not an arn')).toBeUndefined();
    expect(parseArn(undefined)).toBeUndefined();
    expect(parseArn('arn:aws:s3:::bucket')?.account).toBeUndefined();
    expect(partitionOfArn('arn:aws-cn:iam::123456789012:root')).toBe('aws-cn');
  });

  it('names users, roles and role sessions', () => {
    expect(arnName(parseArn('arn:aws:iam::123456789012:user/ops/alice'), 'user')).toBe('alice');
    expect(arnName(parseArn('arn:aws:iam::123456789012:role/r'), 'user')).toBeUndefined();
    expect(assumedRoleParts(parseArn('arn:aws:sts::123456789012:assumed-role/Admin/bob@x'))).toEqual({
      roleName: 'Admin',
      sessionName: 'bob@x',
    });
    expect(afterColon('AROAEXAMPLE:session')).toBe('session');
    expect(afterColon('AIDAEXAMPLE')).toBeUndefined();
    expect(isIdentityCenterRole('AWSReservedSSO_Admin_0123', undefined)).toBe(true);
    expect(
      isIdentityCenterRole(undefined, 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/X'),
    ).toBe(true);
    expect(isIdentityCenterRole('Admin', undefined)).toBe(false);
  });
});

describe('quote and kindOf', () => {
  it('show values in messages', () => {
    expect(quote(undefined)).toBe('absent');
    expect(quote('x'.repeat(100))).toBe(JSON.stringify(`${'x'.repeat(77)}...`));
    expect(kindOf([1, 2])).toBe('an array of 2 items');
    expect(kindOf('a')).toBe('a string ("a")');
    expect(kindOf(null)).toBe('null');
  });
});
