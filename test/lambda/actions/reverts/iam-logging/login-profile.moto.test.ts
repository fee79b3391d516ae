import {
  CreateLoginProfileCommand,
  CreateUserCommand,
  GetLoginProfileCommand,
  IAMClient,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { deleteChangedLoginProfile } from '../../../../../lambda/actions/reverts/iam-logging/login-profile';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../../../support/moto';
import { cloudTrailRecord, revertContext, undoContext } from './support';

const iam = new IAMClient(emulatorClientConfig(sharedMotoUrl()));

async function hasLoginProfile(userName: string): Promise<boolean> {
  try {
    await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (thrown) {
    if ((thrown as Error).name === 'NoSuchEntityException') return false;
    throw thrown;
  }
}

describe('delete-login-profile on the emulator', () => {
  it('deletes the password the attacker set, once, and undo leaves a manual step (never the old password)', async () => {
    const userName = uniqueName('bob');
    await iam.send(new CreateUserCommand({ UserName: userName }));
    await iam.send(
      new CreateLoginProfileCommand({
        UserName: userName,
        Password: 'Attacker-Knows-1!',
        PasswordResetRequired: false,
      }),
    );
    const record = cloudTrailRecord({
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateLoginProfile',
      requestParameters: { userName, passwordResetRequired: false },
      responseElements: {
        loginProfile: { userName, createDate: 'Mar 14, 2025, 9:26:53 AM', passwordResetRequired: false },
      },
    });
    const changes = deleteChangedLoginProfile.changesOf(record);
    expect(changes).toEqual([
      expect.objectContaining({
        revert: 'delete-login-profile',
        region: 'us-east-1',
        target: `login-profile/${userName}`,
        details: { userName, accountId: '123456789012' },
      }),
    ]);
    const [change] = changes;

    expect(await deleteChangedLoginProfile.revert(change, revertContext(true))).toEqual([
      expect.objectContaining({ status: 'planned', before: expect.objectContaining({ exists: true }) }),
    ]);
    expect(await hasLoginProfile(userName)).toBe(true);

    const reverted = await deleteChangedLoginProfile.revert(change, revertContext(false));
    expect(reverted).toEqual([
      expect.objectContaining({
        status: 'done',
        before: { exists: true, createdAt: expect.any(String), passwordResetRequired: false },
      }),
    ]);
    expect(await hasLoginProfile(userName)).toBe(false);
    expect(await deleteChangedLoginProfile.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);

    const [undone] = await deleteChangedLoginProfile.undo(change, reverted, undoContext(false));
    expect(undone).toEqual(
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ name: 'ManualStepRequired' }),
      }),
    );
    expect(undone.manualStep).toContain(`--user-name ${userName}`);
    expect(undone.manualStep).toMatch(/must not be restored/);
    expect(await hasLoginProfile(userName)).toBe(false);

    // A new password set by the team afterwards: undo has nothing left to ask.
    await iam.send(
      new CreateLoginProfileCommand({
        UserName: userName,
        Password: 'Team-Set-New-1!',
        PasswordResetRequired: true,
      }),
    );
    expect(await deleteChangedLoginProfile.undo(change, reverted, undoContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it('reverts a password the attacker reset (UpdateLoginProfile: no response elements)', async () => {
    const userName = uniqueName('carol');
    await iam.send(new CreateUserCommand({ UserName: userName }));
    await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: 'Owner-Set-1!' }));
    await iam.send(new UpdateLoginProfileCommand({ UserName: userName, Password: 'Attacker-Knows-2!' }));
    const record = cloudTrailRecord({
      eventSource: 'iam.amazonaws.com',
      eventName: 'UpdateLoginProfile',
      awsRegion: 'ap-southeast-2',
      requestParameters: { userName, passwordResetRequired: false },
    });
    const [change] = deleteChangedLoginProfile.changesOf(record);
    expect(change.region).toBe('us-east-1');
    expect(await deleteChangedLoginProfile.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect(await hasLoginProfile(userName)).toBe(false);
  });
});
