/**
 * Staging and inspection of IAM users on moto, for the integration tests. The state reader uses
 * the SDK directly (not the action modules' readers), so that the tests do not check the code
 * with itself.
 */
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
  type IAMClientConfig,
} from '@aws-sdk/client-iam';
import { emulatorClientConfig, uniqueName } from '../../../../support/moto';

export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** A self-signed test certificate (public part only): moto validates signing certificates as X.509. */
export const TEST_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDDzCCAfegAwIBAgIUW/pCE+NaJWyY4kOKcQ83u6iZg1UwDQYJKoZIhvcNAQEL
BQAwFjEUMBIGA1UEAwwLY29yZG9uLXRlc3QwIBcNMjYxMTI5MDkwODE1WhgPMjEy
NjExMDUwOTA4MTVaMBYxFDASBgNVBAMMC2NvcmRvbi10ZXN0MIIBIjANBgkqhkiG
9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwtH/olDeb+PMDRCOmM/867f9odl6zDkihk1P
EGYw1TZZnoQDdHanL/02PnkD0ewKyMKnUCSNNTlnOJWoCWCQPFnx8z2tS9EXHb7k
D0VkoS9x3qqk3ZToqERUYNhROclJljqQ/cpLtKcbm/NarL6ZNrNMLsMJ2GrD7Odp
9lrRF3ia0qYr9xJIjE1hiR/96QFT/c3QOQ1bSgnMCscLop1vYQYmi3Sy3wJa7NJ+
wwxkZZQ7y/hhvIBagYMOhVtZ1A4OTQArZhqBUnlPBJKeJnkZyju0DWZHbHyy++RR
GN30ktc/oTaQlauOEpq3Ffx0yARxcHoi5fd0bu4VfnSn+8tTJQIDAQABo1MwUTAd
BgNVHQ4EFgQU7XI/ahHbZzbCreNmKBeQR0/CjwwwHwYDVR0jBBgwFoAU7XI/ahHb
ZzbCreNmKBeQR0/CjwwwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOC
AQEAaRjPnCNsxtHMdAdQI7Nvji1PLAXg656EEcVzcI2JGi/ykhwiT5hiJ9EgvwUm
qSzWh1efXS2JUf6W7ifnnMsBRtCVZ+N46PTb8afopgD621tkpbq40ltO6lxAI0sZ
ILo/cg1XMbZu9GaF2cEUsqyiIOINnhmzQg4JUNbhcoNFUSnysGLDzhkC6E9XHwjl
Pere+aZQDTYiIVpAPP1UBA/bISxMXgNtbnU3S05mpInHDGZbp1r6h6GUUArFIYaV
K2emMY7fB771W0HcdVe4Upc7TTbUCcHTjO+H3VVMIwkE1e7JmbCwEkNw3zu1QC2J
97u6+/rVjnuMKyyrrGJIS/V8+w==
-----END CERTIFICATE-----
`;

/** A test SSH public key (the private half was never kept). */
export const TEST_SSH_PUBLIC_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCpL06SK6x8tYpyzI4Ja4y8cVpKOumCdy99MCxrYe+doPJBO8eRNwt6Uer/MlLPdR+V/mcZzLR0qgj+' +
  'FcKp5NrV6oXVGd+rnUZYSxT+O3mUveKl39/WiD0BBh7fz+Gup9UxiCkD0vWB8y5YyuiEU6zwexMY9tKQLSC0iNA7LsT093Bewszv550Z4m73EFgectW' +
  'i7YAQa5cP9ROoM8VakRQTEjB2C/6TGYz7F+KUFsYkUSFL5VVgf+yXYtewF3FsQ6G3RcTfSwGDmmd9aXjih3BRz/b9o8Fs06q1jPQKcwm73mMMkU5+JLO' +
  'Rhgo8RowNU58+p19NHAjUdD8RUrIDd6Zp cordon-test';

/**
 * moto has no service-specific credential API: ListServiceSpecificCredentials answers HTTP 500
 * ("not yet implemented"). This middleware answers it with an empty list, so that the other
 * actions can be checked end to end; the action itself is covered by the unit tests.
 */
export function answerServiceSpecificCredentialsEmpty(iam: IAMClient): IAMClient {
  iam.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ListServiceSpecificCredentialsCommand') {
        return { output: { $metadata: {}, ServiceSpecificCredentials: [] } as never, response: {} };
      }
      return next(args);
    },
    { step: 'initialize', name: 'motoLacksServiceSpecificCredentials' },
  );
  return iam;
}

/** An IAM client on moto, with the stub above. */
export function motoIam(url: string, config: Partial<IAMClientConfig> = {}): IAMClient {
  return answerServiceSpecificCredentialsEmpty(new IAMClient({ ...emulatorClientConfig(url), ...config }));
}

export const S3_READ_WITH_ODD_CHARACTERS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/a b+c%/*' }],
});
export const EC2_DESCRIBE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }],
});

export interface StagedUser {
  readonly userName: string;
  readonly attackerKey: { accessKeyId: string; secretAccessKey: string };
  readonly inactiveKeyId: string;
  readonly customerPolicyArn: string;
  readonly groups: readonly string[];
  readonly mfaSerial: string;
}

/** A compromised user with one of everything containment touches. */
export async function stageCompromisedUser(iam: IAMClient): Promise<StagedUser> {
  const userName = uniqueName('compromised');
  const groups = [uniqueName('developers'), uniqueName('oncall')];
  await iam.send(new CreateUserCommand({ UserName: userName, Tags: [{ Key: 'team', Value: 'payments' }] }));
  const attacker = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const old = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const inactiveKeyId = old.AccessKey!.AccessKeyId!;
  await iam.send(
    new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: inactiveKeyId, Status: 'Inactive' }),
  );
  await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: 'Correct-Horse-Battery-9' }));
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: uniqueName('sns-publish'),
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }],
      }),
    }),
  );
  const customerPolicyArn = Policy!.Arn!;
  await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: ADMINISTRATOR_ACCESS }));
  await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: customerPolicyArn }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: userName,
      PolicyName: 's3-read',
      PolicyDocument: S3_READ_WITH_ODD_CHARACTERS,
    }),
  );
  await iam.send(
    new PutUserPolicyCommand({
      UserName: userName,
      PolicyName: 'ec2-describe',
      PolicyDocument: EC2_DESCRIBE,
    }),
  );
  for (const group of groups) {
    await iam.send(new CreateGroupCommand({ GroupName: group }));
    await iam.send(new AddUserToGroupCommand({ UserName: userName, GroupName: group }));
  }
  await iam.send(
    new PutGroupPolicyCommand({
      GroupName: groups[0],
      PolicyName: 'sqs',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }],
      }),
    }),
  );
  await iam.send(
    new UploadSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyBody: TEST_SSH_PUBLIC_KEY }),
  );
  await iam.send(
    new UploadSigningCertificateCommand({ UserName: userName, CertificateBody: TEST_CERTIFICATE }),
  );
  const { VirtualMFADevice } = await iam.send(
    new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${userName}-mfa` }),
  );
  const mfaSerial = VirtualMFADevice!.SerialNumber!;
  await iam.send(
    new EnableMFADeviceCommand({
      UserName: userName,
      SerialNumber: mfaSerial,
      AuthenticationCode1: '123456',
      AuthenticationCode2: '654321',
    }),
  );
  return {
    userName,
    attackerKey: {
      accessKeyId: attacker.AccessKey!.AccessKeyId!,
      secretAccessKey: attacker.AccessKey!.SecretAccessKey!,
    },
    inactiveKeyId,
    customerPolicyArn,
    groups,
    mfaSerial,
  };
}
