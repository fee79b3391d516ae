import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { MotoServer } from '../../../lambda/emulator/moto-server';
import {
  emulatorClientConfig,
  sharedMotoUrl,
  startEnforcingMotoServer,
  uniqueName,
} from '../../support/moto';

const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';

describe('moto_server harness', () => {
  it('creates an IAM user with an access key and AdministratorAccess, and reads them back', async () => {
    const iam = new IAMClient(emulatorClientConfig(sharedMotoUrl()));
    const userName = uniqueName('harness-user');
    await iam.send(new CreateUserCommand({ UserName: userName }));
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: ADMIN_POLICY }));

    const user = await iam.send(new GetUserCommand({ UserName: userName }));
    expect(user.User?.UserName).toBe(userName);
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
    expect(keys.AccessKeyMetadata).toEqual([
      expect.objectContaining({ AccessKeyId: created.AccessKey?.AccessKeyId, Status: 'Active' }),
    ]);
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([ADMIN_POLICY]);
  });

  describe('with IAM enforcement on', () => {
    let server: MotoServer;
    beforeAll(async () => {
      // Setup below makes 8 unauthenticated calls; moto enforces IAM from the 9th on.
      server = await startEnforcingMotoServer(8);
    });
    afterAll(async () => {
      await server.stop();
    });

    it('refuses a call signed by a key whose user has an explicit deny, and allows an admin', async () => {
      const setup = new IAMClient(emulatorClientConfig(server.url));
      const keyOf = async (userName: string) => {
        await setup.send(new CreateUserCommand({ UserName: userName }));
        await setup.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: ADMIN_POLICY }));
        const { AccessKey } = await setup.send(new CreateAccessKeyCommand({ UserName: userName }));
        return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
      };
      const admin = await keyOf('admin');
      const denied = await keyOf('denied'); // 6 calls so far
      await setup.send(
        new PutUserPolicyCommand({
          UserName: 'denied',
          PolicyName: 'deny-all',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
          }),
        }),
      );
      await setup.send(new GetUserCommand({ UserName: 'denied' })); // 8: the last unauthenticated call

      const asAdmin = new IAMClient({ ...emulatorClientConfig(server.url), credentials: admin });
      const asDenied = new IAMClient({ ...emulatorClientConfig(server.url), credentials: denied });
      await expect(asAdmin.send(new ListUsersCommand({}))).resolves.toMatchObject({
        Users: expect.arrayContaining([expect.objectContaining({ UserName: 'denied' })]),
      });
      await expect(asDenied.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
    });
  });
});
