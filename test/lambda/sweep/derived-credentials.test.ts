import {
  createdPrincipalOf,
  derivedCredentialOf,
  roleNameOfArn,
} from '../../../lambda/sweep/derived-credentials';
import { cloudTrailRecord } from '../../support/cloudtrail-records';

const by = {
  accessKeyId: 'AKIAEXAMPLESTOLEN001',
  userName: 'stolen',
  time: new Date('2026-12-01T10:00:00Z'),
};

describe('derivedCredentialOf', () => {
  it('follows an AssumeRole session key to its role', () => {
    const record = cloudTrailRecord({
      ...by,
      region: 'eu-west-1',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/ops/deployer', roleSessionName: 'x' },
      responseElements: { credentials: { accessKeyId: 'ASIAEXAMPLESESSION01' } },
    });
    expect(derivedCredentialOf(record)).toMatchObject({
      accessKeyId: 'ASIAEXAMPLESESSION01',
      eventName: 'AssumeRole',
      role: { name: 'deployer', arn: 'arn:aws:iam::123456789012:role/ops/deployer' },
    });
  });

  it('follows GetSessionToken and GetFederationToken keys to the user, and a created access key', () => {
    for (const eventName of ['GetSessionToken', 'GetFederationToken']) {
      const record = cloudTrailRecord({
        ...by,
        region: 'us-east-1',
        eventSource: 'sts.amazonaws.com',
        eventName,
        responseElements: { credentials: { accessKeyId: 'ASIAEXAMPLESESSION02' } },
      });
      expect(derivedCredentialOf(record)).toMatchObject({
        accessKeyId: 'ASIAEXAMPLESESSION02',
        userName: 'stolen',
      });
    }
    const created = cloudTrailRecord({
      ...by,
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateAccessKey',
      requestParameters: { userName: 'ci' },
      responseElements: {
        accessKey: { accessKeyId: 'AKIAEXAMPLEPLANTED01', userName: 'ci', status: 'Active' },
      },
    });
    expect(derivedCredentialOf(created)).toMatchObject({
      accessKeyId: 'AKIAEXAMPLEPLANTED01',
      userName: 'ci',
    });
  });

  it('finds nothing in a failed call, a call without credentials, or another event', () => {
    const failed = {
      ...cloudTrailRecord({
        ...by,
        region: 'us-east-1',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
      }),
      errorCode: 'AccessDenied',
    };
    expect(derivedCredentialOf(failed)).toBeUndefined();
    expect(
      derivedCredentialOf(
        cloudTrailRecord({
          ...by,
          region: 'us-east-1',
          eventSource: 'sts.amazonaws.com',
          eventName: 'AssumeRole',
        }),
      ),
    ).toBeUndefined();
    expect(
      derivedCredentialOf(
        cloudTrailRecord({
          ...by,
          region: 'us-east-1',
          eventSource: 'ec2.amazonaws.com',
          eventName: 'RunInstances',
        }),
      ),
    ).toBeUndefined();
  });

  it("reads a role's name from its ARN, path or not", () => {
    expect(roleNameOfArn('arn:aws:iam::123456789012:role/a/b/web')).toBe('web');
    expect(roleNameOfArn('arn:aws:iam::123456789012:role/web')).toBe('web');
    expect(roleNameOfArn('arn:aws:iam::123456789012:user/web')).toBeUndefined();
  });
});

describe('createdPrincipalOf', () => {
  it('finds the user and the role the attacker created', () => {
    const user = cloudTrailRecord({
      ...by,
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      requestParameters: { userName: 'backdoor' },
    });
    const role = cloudTrailRecord({
      ...by,
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateRole',
      requestParameters: { roleName: 'escape' },
    });
    expect(createdPrincipalOf(user)).toMatchObject({ kind: 'user', userName: 'backdoor' });
    expect(createdPrincipalOf(role)).toMatchObject({ kind: 'role', roleName: 'escape' });
    expect(createdPrincipalOf({ ...user, errorCode: 'EntityAlreadyExists' })).toBeUndefined();
  });
});
