/** The compute reverters' outcome helpers: the foreign-account refusal and "nothing to do" on a dry run. */
import { foreignAccountOutcome, unchanged } from '../../../../../lambda/actions/reverts/compute/outcomes';
import type { RevertibleChange } from '../../../../../lambda/actions/reverts/types';

const change = (accountId: string | null): RevertibleChange => ({
  revert: 'stop-launched-instances',
  region: 'us-west-2',
  target: 'instance/i-0aaa',
  eventId: 'e-1',
  eventName: 'RunInstances',
  eventTime: '2026-03-14T09:26:53Z',
  details: { accountId, instanceId: 'i-0aaa' },
});

describe('the compute outcomes', () => {
  it('refuses a change of another account, naming both accounts and the event', () => {
    const refused = foreignAccountOutcome('stop-launched-instances', change('210987654321'), '123456789012');
    expect(refused?.status).toBe('failed');
    expect(refused?.error?.name).toBe('ForeignAccount');
    expect(refused?.detail).toMatch(/210987654321.*123456789012.*RunInstances \(event e-1\) in us-west-2/);
    expect(
      foreignAccountOutcome('stop-launched-instances', change('123456789012'), '123456789012'),
    ).toBeUndefined();
    expect(foreignAccountOutcome('stop-launched-instances', change(null), '123456789012')).toBeUndefined();
  });

  it('says "nothing to do" on a dry run and "already done" on a real one', () => {
    expect(unchanged('a', 't', true, 'already stopped', null)).toMatchObject({
      status: 'planned',
      detail: 'nothing to do: already stopped',
    });
    expect(unchanged('a', 't', false, 'already stopped', null)).toMatchObject({ status: 'already-done' });
  });
});
