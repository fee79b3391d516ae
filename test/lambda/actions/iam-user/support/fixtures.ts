import type { UserSpec } from './fake-iam';

export const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
export const AWS_DENY_ALL = 'arn:aws:iam::aws:policy/AWSDenyAll';
export const INCIDENT = 'inc-2024-0001';
export const NOW = new Date('2024-05-06T07:08:09.000Z');

export const S3_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: 'arn:aws:s3:::logs b/*' },
  ],
});
export const EC2_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'ec2:*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
    },
  ],
});

/** A user with one of everything containment touches (and a few things it must leave alone). */
export function compromisedUser(overrides: Partial<UserSpec> = {}): UserSpec {
  return {
    accessKeys: [{ id: 'AKIAATTACKERKEY00001' }, { id: 'AKIAOLDINACTIVEKEY02', status: 'Inactive' }],
    loginProfile: true,
    attached: [ADMIN, READ_ONLY],
    inline: { 's3-read': S3_READ, 'ec2-all': EC2_ALL },
    groups: ['developers', 'oncall'],
    sshPublicKeys: [{ id: 'APKASSHKEY0000000001' }],
    signingCertificates: [{ id: 'CERT0000000000000000000000000001' }],
    serviceCredentials: [{ id: 'ACCASERVICECRED00001', serviceName: 'codecommit.amazonaws.com' }],
    mfaDevices: ['arn:aws:iam::123456789012:mfa/alice'],
    tags: { team: 'payments' },
    ...overrides,
  };
}

/** An inline policy document of at most `chars` characters, and not much shorter. */
export function bulkyPolicy(chars: number): string {
  const base = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: [] as string[] }],
  };
  for (let index = 0; ; index++) {
    base.Statement[0].Resource.push(`arn:aws:s3:::bucket-${index}/*`);
    if (JSON.stringify(base).length > chars) {
      base.Statement[0].Resource.pop();
      return JSON.stringify(base);
    }
  }
}
