import {
  mfaDevices,
  readMfaDevices,
  recordMfaDevices,
} from '../../../../lambda/actions/iam-user/mfa-devices';
import { FakeIam } from './support/fake-iam';
import { containContext, failedRead, ok } from './support/contexts';

describe('MFA devices', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
    fake.addUser('alice', { mfaDevices: ['arn:aws:iam::123456789012:mfa/alice', 'GAHT12345678'] });
  });
  afterEach(() => fake.restore());

  it('declares a read only: containment never changes an MFA device, and restore has nothing to undo', () => {
    expect(mfaDevices.permissions).toEqual(['iam:ListMFADevices']);
    expect(mfaDevices.restorePermissions).toEqual([]);
  });

  it('lists the devices into the record and leaves them in place, with no call', async () => {
    const before = await readMfaDevices(fake.client, 'alice');
    fake.clearLog();

    const outcomes = recordMfaDevices(containContext(fake), ok(before));

    expect(outcomes).toEqual([
      {
        action: 'record-mfa-device',
        target: 'mfa-device/arn:aws:iam::123456789012:mfa/alice',
        status: 'already-done',
        detail: 'MFA device arn:aws:iam::123456789012:mfa/alice recorded and left in place',
        before: {
          serialNumber: 'arn:aws:iam::123456789012:mfa/alice',
          enabledAt: '2024-01-02T03:04:05.000Z',
        },
      },
      expect.objectContaining({ target: 'mfa-device/GAHT12345678', status: 'already-done' }),
    ]);
    expect(fake.calls).toEqual([]);
    expect(fake.stateOf('alice').mfaDevices).toHaveLength(2);
  });

  it('planned in a dry run; one outcome when there is none; failed when they could not be listed', () => {
    expect(recordMfaDevices(containContext(fake, { dryRun: true }), ok([]))).toEqual([
      expect.objectContaining({ status: 'planned', detail: 'nothing to do: the user has no MFA device' }),
    ]);
    expect(recordMfaDevices(containContext(fake), failedRead())).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: { name: 'ThrottlingException', message: 'Rate exceeded' },
      }),
    ]);
  });
});
