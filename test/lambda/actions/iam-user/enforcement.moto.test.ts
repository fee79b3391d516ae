/**
 * Against a moto that enforces IAM: proves that the attacker's own key is refused after
 * containment, not only that flags flipped. moto does not check an access key's status, so the
 * refusals here come from the policies: the explicit deny-all and the stripped permissions.
 */
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  AddUserToGroupCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { containIamUser, restoreIamUser } from '../../../../lambda/actions/iam-user';
import type { MotoServer } from '../../../../lambda/emulator/moto-server';
import { emulatorClientConfig, startEnforcingMotoServer, uniqueName } from '../../../support/moto';
import { ADMINISTRATOR_ACCESS, answerServiceSpecificCredentialsEmpty } from './support/moto-iam';

/** Unauthenticated calls the staging below makes; moto enforces IAM from the next one on. */
const STAGING_CALLS = 10;

type Keys = { accessKeyId: string; secretAccessKey: string };

describe('IAM user containment on a moto that enforces IAM', () => {
  let server: MotoServer;
  let admin: Keys;
  let attacker: Keys;
  let attackerName: string;
  let unauthenticated: IAMClient;

  const iamAs = (credentials: Keys) =>
    answerServiceSpecificCredentialsEmpty(
      new IAMClient({ ...emulatorClientConfig(server.url), credentials, maxAttempts: 1 }),
    );
  const s3As = (credentials: Keys) =>
    new S3Client({ ...emulatorClientConfig(server.url), credentials, forcePathStyle: true, maxAttempts: 1 });

  beforeAll(async () => {
    server = await startEnforcingMotoServer(STAGING_CALLS);
    unauthenticated = new IAMClient({ ...emulatorClientConfig(server.url), maxAttempts: 1 });
    const adminName = uniqueName('admin');
    attackerName = uniqueName('compromised');
    const group = uniqueName('ops');
    const send = unauthenticated.send.bind(unauthenticated);
    await send(new CreateUserCommand({ UserName: adminName })); // 1
    await send(new AttachUserPolicyCommand({ UserName: adminName, PolicyArn: ADMINISTRATOR_ACCESS })); // 2
    const adminKey = await send(new CreateAccessKeyCommand({ UserName: adminName })); // 3
    await send(new CreateUserCommand({ UserName: attackerName })); // 4
    await send(new AttachUserPolicyCommand({ UserName: attackerName, PolicyArn: ADMINISTRATOR_ACCESS })); // 5
    const attackerKey = await send(new CreateAccessKeyCommand({ UserName: attackerName })); // 6
    await send(
      new PutUserPolicyCommand({
        UserName: attackerName,
        PolicyName: 'iam-read',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }],
        }),
      }),
    ); // 7
    await send(new CreateGroupCommand({ GroupName: group })); // 8
    await send(
      new PutGroupPolicyCommand({
        GroupName: group,
        PolicyName: 'everything',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      }),
    ); // 9
    await send(new AddUserToGroupCommand({ UserName: attackerName, GroupName: group })); // 10
    admin = {
      accessKeyId: adminKey.AccessKey!.AccessKeyId!,
      secretAccessKey: adminKey.AccessKey!.SecretAccessKey!,
    };
    attacker = {
      accessKeyId: attackerKey.AccessKey!.AccessKeyId!,
      secretAccessKey: attackerKey.AccessKey!.SecretAccessKey!,
    };
  });
  afterAll(async () => {
    await server.stop();
  });

  /** What the attacker would try with the key: look around, persist, undo the containment. */
  const attackerCalls = (name: string, keys: Keys) => {
    const iam = iamAs(keys);
    return {
      ListUsers: () => iam.send(new ListUsersCommand({})),
      GetUser: () => iam.send(new GetUserCommand({ UserName: name })),
      ListAccessKeys: () => iam.send(new ListAccessKeysCommand({ UserName: name })),
      CreateAccessKey: () => iam.send(new CreateAccessKeyCommand({ UserName: name })),
      UpdateAccessKey: () =>
        iam.send(
          new UpdateAccessKeyCommand({ UserName: name, AccessKeyId: keys.accessKeyId, Status: 'Active' }),
        ),
      DeleteUserPolicy: () =>
        iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: 'cordon-deny-all' })),
      AttachUserPolicy: () =>
        iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: ADMINISTRATOR_ACCESS })),
      'S3 ListBuckets': () => s3As(keys).send(new ListBucketsCommand({})),
    };
  };

  const refusals = async (calls: Record<string, () => Promise<unknown>>) =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(calls).map(async ([name, call]) => [
          name,
          await call().then(
            () => 'allowed',
            (error: Error) => error.name,
          ),
        ]),
      ),
    );

  it('enforces IAM once staging is over', async () => {
    await expect(unauthenticated.send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
    });
  });

  it("refuses every call made with the attacker's key after containment, while an admin's calls still work", async () => {
    await expect(iamAs(attacker).send(new ListUsersCommand({}))).resolves.toMatchObject({
      Users: expect.arrayContaining([expect.objectContaining({ UserName: attackerName })]),
    });

    const result = await containIamUser({
      iam: iamAs(admin),
      userName: attackerName,
      incidentId: uniqueName('inc'),
    });

    expect(result).toMatchObject({ denied: true, failures: 0 });
    const calls = attackerCalls(attackerName, attacker);
    expect(await refusals(calls)).toEqual(
      Object.fromEntries(Object.keys(calls).map((name) => [name, 'AccessDenied'])),
    );
    await expect(iamAs(admin).send(new ListUsersCommand({}))).resolves.toMatchObject({
      Users: expect.arrayContaining([expect.objectContaining({ UserName: attackerName })]),
    });
  });

  it('the deny is explicit: granting AdministratorAccess again does not let the key back in; restore does', async () => {
    const adminIam = iamAs(admin);
    const name = uniqueName('compromised');
    await adminIam.send(new CreateUserCommand({ UserName: name }));
    await adminIam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: ADMINISTRATOR_ACCESS }));
    const created = await adminIam.send(new CreateAccessKeyCommand({ UserName: name }));
    const keys = {
      accessKeyId: created.AccessKey!.AccessKeyId!,
      secretAccessKey: created.AccessKey!.SecretAccessKey!,
    };
    const record = await containIamUser({ iam: adminIam, userName: name, incidentId: uniqueName('inc') });

    await adminIam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: ADMINISTRATOR_ACCESS }));
    await expect(iamAs(keys).send(new ListUsersCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });

    const undone = await restoreIamUser({ iam: adminIam, record });

    expect(undone.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    await expect(iamAs(keys).send(new ListUsersCommand({}))).resolves.toMatchObject({
      Users: expect.any(Array),
    });
  });
});
