/**
 * The compute reverters' declarations: each listed once in CHANGE_REVERTERS, with its own switch,
 * its events, and `*` declared only beside calls IAM authorizes on nothing narrower.
 */
import { CHANGE_REVERTERS } from '../../../../../lambda/actions/reverts';
import { COMPUTE_REVERTERS } from '../../../../../lambda/actions/reverts/compute';
import { ACCOUNT_WIDE_ACTIONS } from '../../../../../lambda/actions/types';
import { SWEEP_REVERT_SWITCHES } from '../../../../../lambda/config/schema';

describe('the compute reverters', () => {
  it('are the three of the area, each in the full list once', () => {
    expect(COMPUTE_REVERTERS.map((r) => [r.action, r.sweepSwitch, r.events.eventSource])).toEqual([
      ['stop-launched-instances', 'stopInstances', 'ec2.amazonaws.com'],
      ['cancel-spot-requests', 'cancelSpotRequests', 'ec2.amazonaws.com'],
      ['hold-function', 'holdFunctions', 'lambda.amazonaws.com'],
    ]);
    for (const reverter of COMPUTE_REVERTERS) {
      expect(CHANGE_REVERTERS.filter((r) => r.action === reverter.action)).toEqual([reverter]);
      expect(SWEEP_REVERT_SWITCHES).toContain(reverter.sweepSwitch);
    }
  });

  it('declare `*` only with account-wide reads, and a narrower resource for every other call', () => {
    for (const reverter of COMPUTE_REVERTERS) {
      const accountWide = reverter.permissions.filter((p) =>
        ACCOUNT_WIDE_ACTIONS.some((pattern) => pattern.test(p)),
      );
      expect({ action: reverter.action, star: reverter.resources?.includes('*') ?? false }).toEqual({
        action: reverter.action,
        star: accountWide.length > 0,
      });
      if (reverter.permissions.length > accountWide.length)
        expect(reverter.resources?.filter((r) => r !== '*').length).toBeGreaterThan(0);
    }
  });
});
