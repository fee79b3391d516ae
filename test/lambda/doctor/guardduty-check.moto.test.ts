import { UpdateDetectorCommand } from '@aws-sdk/client-guardduty';
import { checkGuardDuty } from '../../../lambda/doctor/guardduty-check';
import { sharedMotoUrl } from '../../support/moto';
import { createDetector, freshAccount } from './doctor-account';

describe('checkGuardDuty on the emulator', () => {
  it('reports a suspended detector as missing, with the command that enables it', async () => {
    const account = await freshAccount(sharedMotoUrl());
    const id = await createDetector(account, 'eu-west-1');
    await account.clients
      .guardduty('eu-west-1')
      .send(new UpdateDetectorCommand({ DetectorId: id, Enable: false }));
    const check = await checkGuardDuty(account.clients, 'eu-west-1');
    expect(check).toMatchObject({ kind: 'guardduty', region: 'eu-west-1', status: 'missing', errors: [] });
    expect(check.fixes).toEqual([
      `aws guardduty update-detector --detector-id ${id} --enable --finding-publishing-frequency FIFTEEN_MINUTES --region eu-west-1`,
    ]);
  });

  it('warns on a detector publishing every hour, and passes it once at 15 minutes', async () => {
    const account = await freshAccount(sharedMotoUrl());
    const id = await createDetector(account, 'eu-west-1', 'ONE_HOUR');
    expect((await checkGuardDuty(account.clients, 'eu-west-1')).status).toBe('warning');
    await account.clients
      .guardduty('eu-west-1')
      .send(new UpdateDetectorCommand({ DetectorId: id, FindingPublishingFrequency: 'FIFTEEN_MINUTES' }));
    expect((await checkGuardDuty(account.clients, 'eu-west-1')).status).toBe('passed');
  });
});
