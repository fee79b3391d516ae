import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { lookUpInstanceRole, lookUpRoleArn, lookUpUserArn } from '../../../lambda/principals/lookups';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';

describe('lookUpUserArn', () => {
  const iam = new IAMClient(emulatorClientConfig(sharedMotoUrl()));

  it("reads the user's real ARN, path included", async () => {
    const userName = uniqueName('pathed');
    await iam.send(new CreateUserCommand({ UserName: userName, Path: '/ops/team/' }));
    await expect(lookUpUserArn(iam, userName)).resolves.toEqual({
      userArn: `arn:aws:iam::123456789012:user/ops/team/${userName}`,
    });
  });

  it('gives the failure as a fact, naming the call, never throwing', async () => {
    const facts = await lookUpUserArn(iam, 'no-such-user-anywhere');
    expect(facts.userArn).toBeUndefined();
    expect(facts.userLookupError).toMatch(/^iam:GetUser no-such-user-anywhere failed: NoSuchEntity/);
  });
});

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('lookUpRoleArn', () => {
  const iam = new IAMClient(emulatorClientConfig(sharedMotoUrl()));

  it("reads the role's real ARN, path included", async () => {
    const roleName = uniqueName('pathed-role');
    await iam.send(
      new CreateRoleCommand({ RoleName: roleName, Path: '/apps/', AssumeRolePolicyDocument: TRUST }),
    );
    await expect(lookUpRoleArn(iam, roleName)).resolves.toEqual({
      roleArn: `arn:aws:iam::123456789012:role/apps/${roleName}`,
    });
  });

  it('says when the role no longer exists, apart from other failures', async () => {
    const facts = await lookUpRoleArn(iam, 'no-such-role-anywhere');
    expect(facts).toMatchObject({ roleMissing: true });
    expect(facts.roleLookupError).toMatch(/^iam:GetRole no-such-role-anywhere failed: NoSuchEntity/);
  });
});

describe('lookUpInstanceRole', () => {
  const iam = new IAMClient(emulatorClientConfig(sharedMotoUrl()));

  it('reads the role of an instance profile, by the profile ARN a finding gives', async () => {
    const name = uniqueName('profile');
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }));
    const { InstanceProfile } = await iam.send(
      new CreateInstanceProfileCommand({ InstanceProfileName: name }),
    );
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
    await expect(lookUpInstanceRole(iam, InstanceProfile!.Arn!)).resolves.toEqual({
      instanceRole: { name, arn: `arn:aws:iam::123456789012:role/${name}` },
    });
  });

  it('gives a profile without a role, a bad ARN and a missing profile as facts', async () => {
    const name = uniqueName('empty-profile');
    const { InstanceProfile } = await iam.send(
      new CreateInstanceProfileCommand({ InstanceProfileName: name }),
    );
    await expect(lookUpInstanceRole(iam, InstanceProfile!.Arn!)).resolves.toEqual({
      instanceRoleLookupError: `instance profile ${name} has no role`,
    });
    await expect(lookUpInstanceRole(iam, 'arn:aws:iam::123456789012:role/not-a-profile')).resolves.toEqual({
      instanceRoleLookupError: 'arn:aws:iam::123456789012:role/not-a-profile is not an instance profile ARN',
    });
    const missing = await lookUpInstanceRole(iam, 'arn:aws:iam::123456789012:instance-profile/none-here');
    expect(missing.instanceRoleLookupError).toMatch(/^iam:GetInstanceProfile none-here failed: NoSuchEntity/);
  });
});
