import {
  deactivateSshPublicKeys,
  reactivateSshPublicKeys,
  readSshPublicKeys,
  sshPublicKeys,
} from '../../../../lambda/actions/iam-user/ssh-keys';
import { FakeIam } from './support/fake-iam';
import { containContext, ok, restoreContext } from './support/contexts';

describe('SSH public keys', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
    fake.addUser('alice', { sshPublicKeys: [{ id: 'APKA1' }, { id: 'APKA2', status: 'Inactive' }] });
  });
  afterEach(() => fake.restore());

  it('declares what it calls', () => {
    expect(sshPublicKeys.permissions).toEqual(['iam:ListSSHPublicKeys', 'iam:UpdateSSHPublicKey']);
    expect(sshPublicKeys.restorePermissions).toEqual(['iam:ListSSHPublicKeys', 'iam:UpdateSSHPublicKey']);
  });

  it('deactivates the active key with UpdateSSHPublicKey, and sets it back on restore', async () => {
    const before = await readSshPublicKeys(fake.client, 'alice');
    expect(before).toEqual([
      { id: 'APKA1', status: 'Active', createdAt: '2024-01-02T03:04:05.000Z' },
      { id: 'APKA2', status: 'Inactive', createdAt: '2024-01-02T03:04:05.000Z' },
    ]);
    fake.clearLog();

    const outcomes = await deactivateSshPublicKeys(containContext(fake), ok(before));

    expect(outcomes.map((o) => [o.action, o.target, o.status])).toEqual([
      ['deactivate-ssh-public-key', 'ssh-public-key/APKA1', 'done'],
      ['deactivate-ssh-public-key', 'ssh-public-key/APKA2', 'already-done'],
    ]);
    expect(fake.calls.map((call) => [call.command, call.input])).toEqual([
      ['UpdateSSHPublicKey', { UserName: 'alice', SSHPublicKeyId: 'APKA1', Status: 'Inactive' }],
    ]);

    const restored = await reactivateSshPublicKeys(
      restoreContext(fake),
      outcomes,
      ok(await readSshPublicKeys(fake.client, 'alice')),
    );

    expect(restored.map((o) => [o.action, o.target, o.status])).toEqual([
      ['restore-ssh-public-key-status', 'ssh-public-key/APKA1', 'done'],
    ]);
    expect(fake.stateOf('alice').sshPublicKeys).toEqual({ APKA1: 'Active', APKA2: 'Inactive' });
  });
});
