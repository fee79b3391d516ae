import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { wrapCloudTrailRecord } from '../../../lambda/signal/envelope';
import { parse } from '../../../lambda/signal/parse';
import type { ParseResult, RejectionReason, Signal } from '../../../lambda/signal/signal';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'parser');

type Json = Record<string, unknown>;

function fixture(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Json;
}

function allFixtures(): { name: string; event: Json }[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ''), event: fixture(file.replace(/\.json$/, '')) }));
}

function signalOf(result: ParseResult): Signal {
  if (result.kind !== 'signal') throw new Error(`expected a Signal, got ${result.reason}: ${result.message}`);
  return result;
}

const REASONS: readonly RejectionReason[] = [
  'not-an-object',
  'unknown-shape',
  'missing-identity',
  'aws-service-principal',
  'unsupported-finding',
  'missing-field',
  'parser-error',
];

/** What must hold for every result, whatever the input: a Signal or a typed, explained Rejection. */
function expectWellFormed(result: ParseResult): void {
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  if (result.kind === 'rejection') {
    expect(REASONS).toContain(result.reason);
    // A parser-error is Cordon's bug: no input may cause one.
    expect(result).not.toMatchObject({ reason: 'parser-error' });
    expect(result.message.length).toBeGreaterThan(10);
    return;
  }
  expect(result.kind).toBe('signal');
  expect(['cloudtrail', 'guardduty']).toContain(result.source);
  expect(result.eventId).toMatch(/\S/);
  expect(result.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/);
  expect(Number.isFinite(Date.parse(result.time))).toBe(true);
  expect(result.region).toMatch(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/);
  expect(result.accountId).toMatch(/^\d{12}$/);
  expect(['long-term', 'temporary', 'none', 'unknown']).toContain(result.credentialKind);
  expect([
    'IAMUser',
    'AssumedRole',
    'Root',
    'FederatedUser',
    'AWSAccount',
    'IdentityCenterUser',
    'Unknown',
  ]).toContain(result.principal.type);
  for (const value of Object.values(result)) expect(value).not.toBeUndefined();
}

describe('parse: CloudTrail identities', () => {
  it('IAMUser with a long-term key (AKIA)', () => {
    expect(parse(fixture('ct-iamuser-createaccesskey'))).toEqual({
      kind: 'signal',
      source: 'cloudtrail',
      eventId: '6f87d04b-9f74-4f04-a780-7acf4b0a9b38',
      originId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      eventName: 'CreateAccessKey',
      eventSource: 'iam.amazonaws.com',
      time: '2024-05-14T03:12:09Z',
      region: 'us-east-1',
      accountId: '111122223333',
      principal: {
        type: 'IAMUser',
        rawType: 'IAMUser',
        arn: 'arn:aws:iam::111122223333:user/ci-deployer',
        accountId: '111122223333',
        principalId: 'AIDACKCEVSQ6C2EXAMPLE',
        userName: 'ci-deployer',
      },
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      credentialKind: 'long-term',
      sourceIp: '198.51.100.23',
      userAgent:
        'aws-cli/2.15.30 md/Botocore#1.34.90 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 cfg/retry-mode#standard',
      partition: 'aws',
    });
  });

  it('AssumedRole: role from the session issuer (with its path), session from the ARN, MFA "false"', () => {
    expect(parse(fixture('ct-assumedrole-runinstances'))).toEqual({
      kind: 'signal',
      source: 'cloudtrail',
      eventId: 'c2a7f1b0-3d4e-4f5a-8b6c-7d8e9f0a1b2c',
      originId: 'b2c3d4e5-6789-01ab-cdef-EXAMPLE22222',
      eventName: 'RunInstances',
      eventSource: 'ec2.amazonaws.com',
      time: '2024-05-14T03:20:41Z',
      region: 'eu-west-1',
      accountId: '111122223333',
      principal: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/DeployRole/attacker-session',
        accountId: '111122223333',
        principalId: 'AROAJ45Q7YFFAREXAMPLE:attacker-session',
        mfaAuthenticated: false,
        roleName: 'DeployRole',
        roleArn: 'arn:aws:iam::111122223333:role/service-role/DeployRole',
        sessionName: 'attacker-session',
      },
      accessKeyId: 'ASIAJEXAMPLEXEG2JICEA',
      credentialKind: 'temporary',
      sourceIp: '203.0.113.77',
      userAgent: 'Boto3/1.34.90 md/Botocore#1.34.90 ua/2.0 os/linux#6.5.0 lang/python#3.11.8',
      errorCode: 'Client.UnauthorizedOperation',
      partition: 'aws',
    });
  });

  it('Root console sign-in: empty accessKeyId means no credential, MFAUsed "No"', () => {
    expect(parse(fixture('ct-root-consolelogin'))).toEqual({
      kind: 'signal',
      source: 'cloudtrail',
      eventId: '0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a',
      originId: 'c3d4e5f6-7890-12ab-cdef-EXAMPLE33333',
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      time: '2024-05-14T02:58:13Z',
      region: 'us-east-1',
      accountId: '111122223333',
      principal: {
        type: 'Root',
        rawType: 'Root',
        arn: 'arn:aws:iam::111122223333:root',
        accountId: '111122223333',
        principalId: '111122223333',
        mfaAuthenticated: false,
      },
      credentialKind: 'none',
      sourceIp: '192.0.2.44',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
      partition: 'aws',
    });
  });

  it('IAMUser console sign-in with MFA, user with a path', () => {
    const signal = signalOf(parse(fixture('ct-iamuser-consolelogin-mfa')));
    expect(signal.principal).toEqual({
      type: 'IAMUser',
      rawType: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/ops/alice',
      accountId: '111122223333',
      principalId: 'AIDAJ45Q7YFFAREXAMPLE',
      userName: 'alice',
      mfaAuthenticated: true,
    });
    expect(signal.credentialKind).toBe('none');
    expect(signal).not.toHaveProperty('accessKeyId');
  });

  it('FederatedUser: userName is the issuing IAM user, the federated name is the session name', () => {
    expect(parse(fixture('ct-federateduser-putuserpolicy'))).toEqual({
      kind: 'signal',
      source: 'cloudtrail',
      eventId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
      originId: 'e5f6a7b8-9012-34ab-cdef-EXAMPLE55555',
      eventName: 'PutUserPolicy',
      eventSource: 'iam.amazonaws.com',
      time: '2024-05-14T04:01:55Z',
      region: 'us-east-1',
      accountId: '111122223333',
      principal: {
        type: 'FederatedUser',
        rawType: 'FederatedUser',
        arn: 'arn:aws:sts::111122223333:federated-user/persist',
        accountId: '111122223333',
        principalId: '111122223333:persist',
        mfaAuthenticated: false,
        userName: 'ci-deployer',
        sessionName: 'persist',
        issuerType: 'IAMUser',
        issuerArn: 'arn:aws:iam::111122223333:user/ci-deployer',
      },
      accessKeyId: 'ASIAIOSFODNN7FEDERATE',
      credentialKind: 'temporary',
      sourceIp: '198.51.100.23',
      userAgent: 'aws-cli/2.15.30',
      partition: 'aws',
    });
  });

  it('a FederatedUser issued by root names no IAM user', () => {
    const event = fixture('ct-federateduser-putuserpolicy');
    const identity = (event.detail as Json).userIdentity as Json;
    identity.sessionContext = {
      sessionIssuer: {
        type: 'Root',
        principalId: '111122223333',
        arn: 'arn:aws:iam::111122223333:root',
        accountId: '111122223333',
      },
    };
    const principal = signalOf(parse(event)).principal;
    expect(principal).toMatchObject({ type: 'FederatedUser', issuerType: 'Root', sessionName: 'persist' });
    expect(principal).not.toHaveProperty('userName');
  });

  it('a session from GetSessionToken stays the IAM user, with an ASIA key: temporary', () => {
    const signal = signalOf(parse(fixture('ct-iamuser-session-from-getsessiontoken')));
    expect(signal.principal).toEqual({
      type: 'IAMUser',
      rawType: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/ci-deployer',
      accountId: '111122223333',
      principalId: 'AIDACKCEVSQ6C2EXAMPLE',
      userName: 'ci-deployer',
      mfaAuthenticated: true,
    });
    expect(signal.accessKeyId).toBe('ASIAY34FZKBOKMUTVV7A');
    expect(signal.credentialKind).toBe('temporary');
  });

  it('AWSAccount: the principal is in the other account, the Signal in the receiving one', () => {
    expect(parse(fixture('ct-awsaccount-getobject'))).toEqual({
      kind: 'signal',
      source: 'cloudtrail',
      eventId: 'ad9e8f7a-6b5c-4d3e-8f1a-0b9c8d7e6f5b',
      originId: '1b2c3d4e-5f6a-47ab-cdef-EXAMPLE88888',
      eventName: 'GetObject',
      eventSource: 's3.amazonaws.com',
      time: '2024-05-14T05:30:12Z',
      region: 'us-east-1',
      accountId: '111122223333',
      principal: {
        type: 'AWSAccount',
        rawType: 'AWSAccount',
        accountId: '444455556666',
        principalId: 'AROA3EXAMPLEOTHERACCT:exfil',
      },
      credentialKind: 'unknown',
      sourceIp: '203.0.113.200',
      userAgent: '[Boto3/1.34.90]',
      partition: 'aws',
    });
  });

  it('an AWSReservedSSO_ role session is an IdentityCenterUser', () => {
    expect(signalOf(parse(fixture('ct-identitycenter-role-stoplogging'))).principal).toEqual({
      type: 'IdentityCenterUser',
      rawType: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane.doe@example.com',
      accountId: '111122223333',
      principalId: 'AROA6EXAMPLESSOROLE1:jane.doe@example.com',
      mfaAuthenticated: false,
      roleName: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
      roleArn:
        'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-east-2/AWSReservedSSO_AdministratorAccess_0123456789abcdef',
      sessionName: 'jane.doe@example.com',
    });
  });

  it('the native IdentityCenterUser type, in a service event (CredentialChallenge)', () => {
    expect(parse(fixture('ct-identitycenteruser-credentialchallenge'))).toEqual({
      kind: 'signal',
      source: 'cloudtrail',
      eventId: 'cf1a0b9c-8d7e-4f6a-8b3c-2d1e0f9a8b7c',
      originId: '3d4e5f6a-7b8c-49ab-cdef-EXAMPLEAAAAA',
      eventName: 'CredentialChallenge',
      eventSource: 'signin.amazonaws.com',
      time: '2024-05-14T06:00:31Z',
      region: 'us-east-2',
      accountId: '111122223333',
      principal: {
        type: 'IdentityCenterUser',
        rawType: 'IdentityCenterUser',
        accountId: '111122223333',
        identityStoreUserId: '544894e8-80c1-707f-60e3-3ba6510dfac1',
        identityStoreArn: 'arn:aws:identitystore::111122223333:identitystore/d-9067642ac7',
      },
      credentialKind: 'unknown',
      sourceIp: '192.0.2.150',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
      partition: 'aws',
    });
  });

  it('aws-us-gov partition, a comma-separated sourceIPAddress kept as given (trimmed)', () => {
    const signal = signalOf(parse(fixture('ct-govcloud-assumedrole-proxied')));
    expect(signal).toMatchObject({
      region: 'us-gov-west-1',
      accountId: '123456789012',
      partition: 'aws-us-gov',
      sourceIp: '198.51.100.7, 10.0.12.4',
      credentialKind: 'temporary',
      principal: {
        type: 'AssumedRole',
        roleName: 'Admin',
        roleArn: 'arn:aws-us-gov:iam::123456789012:role/Admin',
        sessionName: 'maria',
        mfaAuthenticated: true,
      },
    });
  });

  it('aws-cn partition, a service host name as sourceIPAddress', () => {
    const signal = signalOf(parse(fixture('ct-china-iamuser-stopinstances')));
    expect(signal).toMatchObject({
      region: 'cn-north-1',
      accountId: '210987654321',
      partition: 'aws-cn',
      sourceIp: 'ec2.amazonaws.com',
      userAgent: 'AWS Internal',
      accessKeyId: 'AKIACNEXAMPLEKEY0001',
      credentialKind: 'long-term',
      principal: { type: 'IAMUser', userName: 'batch', arn: 'arn:aws-cn:iam::210987654321:user/batch' },
    });
  });

  it('instance-profile credentials (ec2RoleDelivery) name their instance', () => {
    const signal = signalOf(parse(fixture('ct-instance-profile-session')));
    expect(signal.instanceId).toBe('i-0abcdef1234567890');
    expect(signal.principal).toMatchObject({
      type: 'AssumedRole',
      roleName: 'web-instance-role',
      sessionName: 'i-0abcdef1234567890',
    });
  });

  it('an instance-like session name chosen by a caller (no ec2RoleDelivery) names no instance', () => {
    const event = fixture('ct-instance-profile-session');
    const context = ((event.detail as Json).userIdentity as Json).sessionContext as Json;
    delete context.ec2RoleDelivery;
    const signal = signalOf(parse(event));
    expect(signal.principal.sessionName).toBe('i-0abcdef1234567890');
    expect(signal).not.toHaveProperty('instanceId');
  });

  it('other identity types (SAMLUser, WebIdentityUser, Unknown, Directory) are Unknown, with their type kept', () => {
    for (const rawType of ['SAMLUser', 'WebIdentityUser', 'Unknown', 'Directory']) {
      const event = fixture('ct-iamuser-createaccesskey');
      (event.detail as Json).userIdentity = {
        type: rawType,
        principalId: 'SAMPLEPRINCIPAL:jdoe',
        userName: 'jdoe',
        accountId: '111122223333',
      };
      expect(signalOf(parse(event)).principal).toEqual({
        type: 'Unknown',
        rawType,
        principalId: 'SAMPLEPRINCIPAL:jdoe',
        userName: 'jdoe',
        accountId: '111122223333',
      });
    }
  });

  it('an assumed-role ARN without a session segment: the role from it, the session from principalId', () => {
    const event = fixture('ct-iamuser-createaccesskey');
    (event.detail as Json).userIdentity = {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:build-42',
      arn: 'arn:aws:sts::111122223333:assumed-role/tester',
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLE000000001',
    };
    expect(signalOf(parse(event)).principal).toMatchObject({
      type: 'AssumedRole',
      roleName: 'tester',
      sessionName: 'build-42',
    });
  });

  it('mfaAuthenticated also accepts a JSON boolean; anything else is left out', () => {
    const event = fixture('ct-assumedrole-runinstances');
    const attributes = (((event.detail as Json).userIdentity as Json).sessionContext as Json)
      .attributes as Json;
    attributes.mfaAuthenticated = true;
    expect(signalOf(parse(event)).principal.mfaAuthenticated).toBe(true);
    attributes.mfaAuthenticated = 'maybe';
    expect(signalOf(parse(event)).principal).not.toHaveProperty('mfaAuthenticated');
  });

  it('a key that is neither AKIA nor ASIA is kept, of unknown kind', () => {
    const event = fixture('ct-iamuser-createaccesskey');
    ((event.detail as Json).userIdentity as Json).accessKeyId = 'ABIAEXAMPLEBEARER001';
    expect(signalOf(parse(event))).toMatchObject({
      accessKeyId: 'ABIAEXAMPLEBEARER001',
      credentialKind: 'unknown',
    });
  });
});

describe('parse: records without the EventBridge envelope', () => {
  const cloudTrailFixtures = allFixtures().filter(({ name }) => name.startsWith('ct-'));

  it.each(cloudTrailFixtures.map(({ name }) => name))(
    '%s: the raw record parses as the delivered event, its eventID as eventId',
    (name) => {
      const event = fixture(name);
      const detail = event.detail as Json;
      const delivered = parse(event);
      const raw = parse(detail);
      expect(raw).toEqual({ ...delivered, eventId: detail.eventID });
      // And wrapping it again as EventBridge would gives the same Signal, under a derived id.
      const rewrapped = parse(wrapCloudTrailRecord(detail));
      expect({ ...rewrapped, eventId: 'x' }).toEqual({ ...delivered, eventId: 'x' });
    },
  );

  it('a raw GuardDuty finding parses too', () => {
    const event = fixture('gd-iamuser-tor-caller');
    const raw = signalOf(parse(event.detail));
    expect(raw).toEqual({ ...signalOf(parse(event)), eventId: '0ac7b1f2e3d4c5b6a7980f1e2d3c4b5a' });
  });

  it('a record without any id gets a deterministic one', () => {
    const detail = fixture('ct-iamuser-createaccesskey').detail as Json;
    delete detail.eventID;
    const first = signalOf(parse(detail));
    expect(first.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(signalOf(parse(structuredClone(detail))).eventId).toBe(first.eventId);
    expect(first).not.toHaveProperty('originId');
  });
});

describe('parse: Panther-style synthetic records', () => {
  const pantherRecord = (): Json => ({
    eventVersion: '1.05',
    eventTime: '2022-09-15 13:45:24',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    awsRegion: 'us-east-1',
    sourceIPAddress: '<Attacker source IP>',
    userAgent: '<Attacker user agent (here: Boto3/1.17.80 Python/3.9.5 Darwin/20.3.0 Botocore/1.20.80)>',
    recipientAccountId: '123456789012',
    eventType: 'AwsApiCall',
    userIdentity: {
      type: 'IAMUser',
      accesKeyId: 'AKIAIOSFODNN7EXAMPLE',
      arn: 'arn:aws:iam::123456789012:user/tester',
      accountId: '123456789012',
      userName: 'tester',
    },
    p_log_type: 'AWS.CloudTrail',
    p_event_time: '2022-09-15 13:45:24.000',
    p_any_aws_account_ids: ['123456789012'],
  });

  it('reads a zone-less time as UTC, ignores p_ fields, drops placeholders, does not read the typo', () => {
    expect(parse(pantherRecord())).toEqual({
      kind: 'signal',
      source: 'cloudtrail',
      // No eventID: a deterministic id from the record.
      eventId: expect.stringMatching(/^[0-9a-f]{8}-/),
      eventName: 'CreateUser',
      eventSource: 'iam.amazonaws.com',
      time: '2022-09-15T13:45:24Z',
      region: 'us-east-1',
      accountId: '123456789012',
      principal: {
        type: 'IAMUser',
        rawType: 'IAMUser',
        arn: 'arn:aws:iam::123456789012:user/tester',
        accountId: '123456789012',
        userName: 'tester',
      },
      credentialKind: 'unknown',
      partition: 'aws',
    });
  });

  it('GuardDuty-style times with fractions and no zone', () => {
    const finding = fixture('gd-iamuser-tor-caller').detail as Json;
    finding.updatedAt = '2025-02-25 20:40:06.721';
    expect(signalOf(parse(finding)).time).toBe('2025-02-25T20:40:06.721Z');
    finding.updatedAt = '2025-02-25 20:40:06.000000000';
    expect(signalOf(parse(finding)).time).toBe('2025-02-25T20:40:06.000Z');
  });

  it('a time with an offset is kept, in ISO form', () => {
    const record = pantherRecord();
    record.eventTime = '2022-09-15T15:45:24+0200';
    expect(signalOf(parse(record)).time).toBe('2022-09-15T15:45:24+02:00');
  });

  it('a record that names no receiving account falls back to the principal’s account', () => {
    const record = pantherRecord();
    delete record.recipientAccountId;
    expect(signalOf(parse(record)).accountId).toBe('123456789012');
  });

  it('the envelope fills what the record lacks', () => {
    const record = pantherRecord();
    delete record.eventTime;
    delete record.awsRegion;
    const signal = signalOf(
      parse({ ...wrapCloudTrailRecord(record), time: '2022-09-15T13:45:30Z', region: 'eu-north-1' }),
    );
    expect(signal).toMatchObject({ time: '2022-09-15T13:45:30Z', region: 'eu-north-1', partition: 'aws' });
  });
});

describe('parse: GuardDuty findings', () => {
  it('IAMUser access key finding', () => {
    expect(parse(fixture('gd-iamuser-tor-caller'))).toEqual({
      kind: 'signal',
      source: 'guardduty',
      eventId: '25706b5c-4d3e-4f2a-8b1c-0d9e8f7a6b5c',
      originId: '0ac7b1f2e3d4c5b6a7980f1e2d3c4b5a',
      findingType: 'UnauthorizedAccess:IAMUser/TorIPCaller',
      severity: 5,
      eventName: 'ListBuckets',
      eventSource: 's3.amazonaws.com',
      time: '2024-05-14T03:24:58.184Z',
      region: 'us-east-1',
      accountId: '111122223333',
      principal: {
        type: 'IAMUser',
        rawType: 'IAMUser',
        principalId: 'AIDACKCEVSQ6C2EXAMPLE',
        userName: 'ci-deployer',
      },
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      credentialKind: 'long-term',
      sourceIp: '185.220.101.45',
      userAgent: '[aws-cli/2.15.30 md/Botocore#1.34.90]',
      partition: 'aws',
    });
  });

  it('instance credential exfiltration: AssumedRole (userName is the role), the instance, severity as a string', () => {
    expect(parse(fixture('gd-instance-credential-exfiltration'))).toEqual({
      kind: 'signal',
      source: 'guardduty',
      eventId: '36817c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
      originId: '1bd8c2a3f4e5d6c7b8a9011f2e3d4c5b',
      findingType: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      severity: 8,
      eventName: 'GetCallerIdentity',
      eventSource: 'sts.amazonaws.com',
      time: '2024-05-14T09:20:31.552Z',
      region: 'us-east-1',
      accountId: '111122223333',
      principal: {
        type: 'AssumedRole',
        rawType: 'AssumedRole',
        principalId: 'AROAEXAMPLEWEBROLE01:i-0abcdef1234567890',
        roleName: 'web-instance-role',
        sessionName: 'i-0abcdef1234567890',
      },
      accessKeyId: 'ASIAEXAMPLEINSTKEY01',
      credentialKind: 'temporary',
      sourceIp: '45.33.32.156',
      userAgent: 'python-requests/2.31.0',
      instanceId: 'i-0abcdef1234567890',
      instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/web-instance-profile',
      partition: 'aws',
    });
  });

  it('instance finding without key details: Unknown principal, the instance, the port probe’s remote IP', () => {
    expect(parse(fixture('gd-instance-port-probe'))).toEqual({
      kind: 'signal',
      source: 'guardduty',
      eventId: '47928d7e-6f5a-4b4c-8d3e-2f1a0b9c8d7e',
      originId: '2ce9d3b4a5f6e7d8c9b0122a3f4e5d6c',
      findingType: 'Recon:EC2/PortProbeUnprotectedPort',
      severity: 2,
      time: '2024-05-14T10:04:51.097Z',
      region: 'eu-central-1',
      accountId: '111122223333',
      principal: { type: 'Unknown' },
      credentialKind: 'unknown',
      sourceIp: '198.51.100.99',
      instanceId: 'i-0fedcba9876543210',
      partition: 'aws',
    });
  });

  it('network connection finding: the remote IP of the connection', () => {
    expect(signalOf(parse(fixture('gd-instance-bitcoin-outbound')))).toMatchObject({
      findingType: 'CryptoCurrency:EC2/BitcoinTool.B',
      severity: 8,
      principal: { type: 'Unknown' },
      instanceId: 'i-0a1b2c3d4e5f60718',
      sourceIp: '203.0.113.66',
      region: 'eu-west-1',
    });
  });

  it('root credential usage, with the API call’s error code', () => {
    expect(signalOf(parse(fixture('gd-root-credential-usage')))).toMatchObject({
      principal: { type: 'Root', rawType: 'Root', principalId: '111122223333' },
      accessKeyId: 'ASIAROOTEXAMPLEKEY01',
      credentialKind: 'temporary',
      eventName: 'CreateUser',
      errorCode: 'AccessDenied',
    });
  });

  it('an Identity Center role in a finding is an IdentityCenterUser', () => {
    const event = fixture('gd-instance-credential-exfiltration');
    const details = ((event.detail as Json).resource as Json).accessKeyDetails as Json;
    details.userName = 'AWSReservedSSO_ReadOnly_0123456789abcdef';
    details.principalId = 'AROAEXAMPLESSO:jane.doe@example.com';
    expect(signalOf(parse(event)).principal).toEqual({
      type: 'IdentityCenterUser',
      rawType: 'AssumedRole',
      principalId: 'AROAEXAMPLESSO:jane.doe@example.com',
      roleName: 'AWSReservedSSO_ReadOnly_0123456789abcdef',
      sessionName: 'jane.doe@example.com',
    });
  });

  it('a FederatedUser in a finding is not reported under an IAM user name', () => {
    const event = fixture('gd-iamuser-tor-caller');
    const details = ((event.detail as Json).resource as Json).accessKeyDetails as Json;
    Object.assign(details, {
      userType: 'FederatedUser',
      userName: 'breakglass-admin',
      principalId: '111122223333:breakglass-admin',
    });
    const principal = signalOf(parse(event)).principal;
    expect(principal).toEqual({
      type: 'FederatedUser',
      rawType: 'FederatedUser',
      principalId: '111122223333:breakglass-admin',
      sessionName: 'breakglass-admin',
    });
  });

  it('account and region fall back to the envelope; a non-numeric severity is left out', () => {
    const event = fixture('gd-iamuser-tor-caller');
    const detail = event.detail as Json;
    delete detail.accountId;
    delete detail.region;
    detail.severity = 'HIGH';
    Object.assign(event, { account: '999988887777', region: 'ap-southeast-2' });
    const signal = signalOf(parse(event));
    expect(signal).toMatchObject({ accountId: '999988887777', region: 'ap-southeast-2' });
    expect(signal).not.toHaveProperty('severity');
  });

  it('marks AWS sample findings', () => {
    const event = fixture('gd-iamuser-tor-caller');
    (((event.detail as Json).service as Json).additionalInfo as Json).sample = true;
    expect(signalOf(parse(event)).sample).toBe(true);
  });
});

describe('parse: rejections', () => {
  it.each([
    ['an empty object', {}, 'unknown-shape', /no keys/],
    ['null', null, 'not-an-object', /got null/],
    ['a number', 42, 'not-an-object', /got a number \(42\)/],
    ['an array', [{ detail: {} }], 'not-an-object', /got an array of 1 items/],
    ['a string', '{"detail-type":"GuardDuty Finding"}', 'not-an-object', /got a string/],
    ['a boolean', true, 'not-an-object', /got a boolean/],
    ['undefined', undefined, 'not-an-object', /got undefined/],
  ])('%s', (_label, input, reason, message) => {
    const result = parse(input);
    expect(result).toMatchObject({ kind: 'rejection', reason });
    expect(result.kind === 'rejection' && result.message).toMatch(message);
  });

  it('a CloudTrail Insight event has no userIdentity', () => {
    expect(parse(fixture('ct-insight-apicallrate'))).toEqual({
      kind: 'rejection',
      reason: 'missing-identity',
      message:
        'CloudTrail Insight event (eventID "5f6a7b8c-9d0e-4bab-cdef-EXAMPLECCCCC") has no userIdentity ' +
        '(CloudTrail Insight events have none: they report unusual API activity, not a caller)',
      eventId: 'e13c2d1e-0f9a-4b8c-8d5e-4f3a2b1c0d9e',
    });
  });

  it('an AWSService call names the service', () => {
    expect(parse(fixture('ct-awsservice-assumerole'))).toEqual({
      kind: 'rejection',
      reason: 'aws-service-principal',
      message:
        'CloudTrail record AssumeRole (eventID "0a1b2c3d-4e5f-46ab-cdef-EXAMPLE77777") was made by the AWS ' +
        'service lambda.amazonaws.com acting on its own (userIdentity type AWSService): not a credential ' +
        'Cordon can contain',
      eventId: '9c8d7e6f-5a4b-4c3d-9e2f-1a0b9c8d7e6f',
    });
  });

  it('a service event whose userIdentity has only invokedBy is an AWS service too', () => {
    const result = parse(fixture('ct-service-event-kms-rotation'));
    expect(result).toMatchObject({ kind: 'rejection', reason: 'aws-service-principal' });
    expect(result.kind === 'rejection' && result.message).toContain('kms.amazonaws.com');
  });

  it('an AWSService user type in a finding', () => {
    const event = fixture('gd-iamuser-tor-caller');
    Object.assign(((event.detail as Json).resource as Json).accessKeyDetails as Json, {
      userType: 'AWSService',
      userName: 'config.amazonaws.com',
    });
    expect(parse(event)).toMatchObject({ kind: 'rejection', reason: 'aws-service-principal' });
  });

  it('a service event without userIdentity', () => {
    const event = fixture('ct-service-event-kms-rotation');
    delete (event.detail as Json).userIdentity;
    expect(parse(event)).toMatchObject({
      kind: 'rejection',
      reason: 'missing-identity',
      message: expect.stringContaining('AWS service event with no userIdentity'),
    });
  });

  it('an API call without userIdentity', () => {
    const event = fixture('ct-iamuser-createaccesskey');
    delete (event.detail as Json).userIdentity;
    expect(parse(event)).toEqual({
      kind: 'rejection',
      reason: 'missing-identity',
      message:
        'CloudTrail record CreateAccessKey (eventID "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111") has no ' +
        'userIdentity (CloudTrail Insight events have none)',
      eventId: '6f87d04b-9f74-4f04-a780-7acf4b0a9b38',
    });
  });

  it('a userIdentity that is not an object, or has no type', () => {
    const event = fixture('ct-iamuser-createaccesskey');
    (event.detail as Json).userIdentity = 'AIDACKCEVSQ6C2EXAMPLE';
    expect(parse(event)).toMatchObject({
      reason: 'missing-identity',
      message: expect.stringContaining('userIdentity that is a string ("AIDACKCEVSQ6C2EXAMPLE")'),
    });
    (event.detail as Json).userIdentity = {};
    expect(parse(event)).toMatchObject({
      reason: 'missing-identity',
      message: expect.stringContaining('userIdentity without a type (it is empty)'),
    });
  });

  it('an attack sequence names no principal', () => {
    expect(parse(fixture('gd-attack-sequence'))).toEqual({
      kind: 'rejection',
      reason: 'unsupported-finding',
      message:
        'GuardDuty finding AttackSequence:IAM/CompromisedCredentials (id "5f1c06e7d8c9b0a1f2e3455d6c7b8a9f") ' +
        '(resourceType AttackSequence) names neither an access key (resource.accessKeyDetails) nor an EC2 ' +
        'instance (resource.instanceDetails.instanceId): no principal for Cordon to act on',
      eventId: '7ac5b0a1-9c8d-4e7f-9a6b-5c4d3e2f1a0b',
    });
  });

  it('missing time, region and account are named, with the value that was wrong', () => {
    const record: Json = {
      eventVersion: '1.08',
      eventName: 'CreateUser',
      eventTime: 'redacted',
      recipientAccountId: '987654321',
      userIdentity: { type: 'IAMUser', userName: 'tester' },
    };
    expect(parse(record)).toMatchObject({
      kind: 'rejection',
      reason: 'missing-field',
      message:
        'CloudTrail record CreateUser: eventTime "redacted" is not an ISO 8601 time; awsRegion is absent; ' +
        'recipientAccountId "987654321" is not a 12-digit account id (also looked for it in the EventBridge ' +
        'envelope); a Signal needs a time, a region and an account',
    });
  });

  it('an unknown detail-type', () => {
    const result = parse({
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      detail: {},
    });
    expect(result).toMatchObject({ kind: 'rejection', reason: 'unknown-shape' });
    expect(result.kind === 'rejection' && result.message).toContain(
      'detail-type "EC2 Instance State-change Notification", source "aws.ec2"',
    );
  });

  it('an envelope whose detail is not an object', () => {
    expect(
      parse({ 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', id: 'e-1', detail: 'x' }),
    ).toEqual({
      kind: 'rejection',
      reason: 'unknown-shape',
      message:
        'EventBridge event (detail-type "GuardDuty Finding", source "aws.guardduty") has a detail that is a ' +
        'string ("x"): expected an object',
      eventId: 'e-1',
    });
  });

  it('lower-case keys, a log file, a LookupEvents result', () => {
    expect(parse({ eventversion: '1.08', useridentity: { type: 'IAMUser' } })).toMatchObject({
      reason: 'unknown-shape',
      message: expect.stringContaining('lower-case CloudTrail keys'),
    });
    expect(parse({ Records: [{}, {}] })).toMatchObject({
      reason: 'unknown-shape',
      message: expect.stringContaining('CloudTrail log file with 2 Records'),
    });
    expect(parse({ EventId: 'x', CloudTrailEvent: '{}' })).toMatchObject({
      reason: 'unknown-shape',
      message: expect.stringContaining('LookupEvents result'),
    });
  });

  it('reports its own failure as a parser-error instead of throwing', () => {
    const hostile = new Proxy(
      {},
      {
        has: () => {
          throw new Error('boom');
        },
        get: () => {
          throw new Error('boom');
        },
        ownKeys: () => {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor: () => {
          throw new Error('boom');
        },
      },
    );
    expect(parse(hostile)).toEqual({
      kind: 'rejection',
      reason: 'parser-error',
      message: "Cordon's parser failed on this event (a bug in Cordon, please report it): Error: boom",
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

type Path = readonly (string | number)[];

/** Every path to every value inside a JSON value (not the root). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown, index) => [
      [...prefix, index],
      ...pathsOf(item, [...prefix, index]),
    ]);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...pathsOf(item, [...prefix, key]),
    ]);
  }
  return [];
}

interface Mutation {
  readonly path: Path;
  readonly op: 'delete' | 'replace';
  readonly value: unknown;
}

/** Applies mutations in order; one whose path an earlier one removed is skipped. */
function mutate(event: Json, mutations: readonly Mutation[]): Json {
  const copy = structuredClone(event);
  for (const { path: at, op, value } of mutations) {
    let parent: unknown = copy;
    for (const key of at.slice(0, -1)) {
      parent =
        typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>)[key] : undefined;
    }
    if (typeof parent !== 'object' || parent === null) continue;
    const last = at[at.length - 1];
    const container = parent as Record<string | number, unknown>;
    if (op === 'replace') container[last] = value;
    else if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete container[last];
  }
  return copy;
}

const retyped = fc.oneof(
  fc.constantFrom(
    null,
    '',
    ' ',
    0,
    -1,
    1.5,
    true,
    false,
    [],
    {},
    'true',
    '42',
    '<placeholder>',
    'AKIA',
    'ASIA',
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string(),
);

/** A real event with 1 to 6 fields removed or replaced by a value of any type, enveloped or raw. */
const mutatedEvent = fc
  .tuple(fc.constantFrom(...allFixtures().map(({ event }) => event)), fc.boolean())
  .chain(([event, raw]) => {
    const base = raw ? (event.detail as Json) : event;
    const paths = pathsOf(base);
    return fc
      .array(
        fc.record({
          path: fc.constantFrom(...paths),
          op: fc.constantFrom('delete', 'replace'),
          value: retyped,
        }),
        { minLength: 1, maxLength: 6 },
      )
      .map((mutations) => mutate(base, mutations as Mutation[]));
  });

/** Envelope-like objects with known detail-types and record-like details of random values. */
const envelopeLike = fc.record(
  {
    'detail-type': fc.oneof(
      fc.constantFrom(
        'GuardDuty Finding',
        'AWS API Call via CloudTrail',
        'AWS Console Sign In via CloudTrail',
        'AWS Service Event via CloudTrail',
        'AWS Insight via CloudTrail',
      ),
      fc.anything(),
    ),
    source: fc.oneof(fc.constantFrom('aws.guardduty', 'aws.iam', 'aws.signin'), fc.anything()),
    id: fc.anything(),
    account: fc.oneof(fc.constant('111122223333'), fc.anything()),
    time: fc.oneof(fc.constant('2024-05-14T03:12:09Z'), fc.anything()),
    region: fc.oneof(fc.constant('us-east-1'), fc.anything()),
    detail: fc.oneof(
      fc.anything(),
      fc.record(
        {
          eventVersion: fc.anything(),
          eventType: fc.oneof(
            fc.constantFrom('AwsApiCall', 'AwsConsoleSignIn', 'AwsServiceEvent'),
            fc.anything(),
          ),
          userIdentity: fc.oneof(
            fc.anything(),
            fc.record(
              {
                type: fc.oneof(
                  fc.constantFrom(
                    'IAMUser',
                    'AssumedRole',
                    'Root',
                    'FederatedUser',
                    'AWSService',
                    'AWSAccount',
                  ),
                  fc.anything(),
                ),
                arn: fc.oneof(fc.constant('arn:aws:sts::111122223333:assumed-role/R/s'), fc.anything()),
                accessKeyId: fc.oneof(fc.constantFrom('AKIAX', 'ASIAX', ''), fc.anything()),
                sessionContext: fc.anything(),
                invokedBy: fc.anything(),
                userName: fc.anything(),
              },
              { requiredKeys: [] },
            ),
          ),
          eventTime: fc.anything(),
          awsRegion: fc.anything(),
          recipientAccountId: fc.anything(),
          schemaVersion: fc.anything(),
          type: fc.anything(),
          resource: fc.anything(),
          service: fc.anything(),
          severity: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

describe('parse: properties', () => {
  it('never throws on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWellFormed(parse(value));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on any value at all', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withObjectString: true,
          withSparseArray: true,
          withTypedArray: true,
          withUnicodeString: true,
        }),
        (value) => {
          expectWellFormed(parse(value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on envelope-shaped objects with random contents', () => {
    fc.assert(
      fc.property(envelopeLike, (value) => {
        expectWellFormed(parse(value));
      }),
      { numRuns: 500 },
    );
  });

  it('real events with random fields removed or retyped give either kind, well formed', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(mutatedEvent, (event) => {
        const result = parse(event);
        expectWellFormed(result);
        seen.add(result.kind);
      }),
      { numRuns: 1000 },
    );
    // The mutations reach both outcomes: the test exercises the rejection paths, not only signals.
    expect([...seen].sort()).toEqual(['rejection', 'signal']);
  });

  it('is deterministic: the same event gives the same result', () => {
    fc.assert(
      fc.property(mutatedEvent, (event) => {
        expect(parse(structuredClone(event))).toEqual(parse(event));
      }),
      { numRuns: 200 },
    );
  });
});
