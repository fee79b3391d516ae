/**
 * The EC2 reverters' list, and the single-event revert of the detections it serves: on every positive
 * fixture of security-group-opened-to-world, ebs-snapshot-shared and ami-shared, some EC2 reverter
 * finds at least one change, of the reverter meant for it. Negatives are not asserted: an ingress
 * rule that is not open to the world is still an ingress change a sweep may revert.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EC2_REVERTERS } from '../../../../../lambda/actions/reverts/ec2';
import { ACCOUNT_WIDE_ACTIONS } from '../../../../../lambda/actions/types';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';

const FIXTURES = join(__dirname, '../../../../fixtures/detections');
const EXPECTED: Record<string, string> = {
  'security-group-opened-to-world': 'revoke-ingress-rules',
  'ebs-snapshot-shared': 'remove-snapshot-permission',
  'ami-shared': 'remove-image-permission',
};

const positives = Object.entries(EXPECTED).flatMap(([detection, action]) =>
  readdirSync(join(FIXTURES, detection))
    .filter((file) => file.startsWith('positive-'))
    .map((file) => [`${detection}/${file}`, action] as const),
);

describe('EC2_REVERTERS', () => {
  it('lists the three EC2 reverters, on ec2.amazonaws.com', () => {
    expect(EC2_REVERTERS.map((r) => [r.action, r.sweepSwitch, r.events.eventSource])).toEqual([
      ['revoke-ingress-rules', 'revokeIngressRules', 'ec2.amazonaws.com'],
      ['remove-snapshot-permission', 'revertShares', 'ec2.amazonaws.com'],
      ['remove-image-permission', 'revertShares', 'ec2.amazonaws.com'],
    ]);
  });

  it('declares only ec2 permissions, and account-wide actions among them wherever it declares *', () => {
    for (const reverter of EC2_REVERTERS) {
      const all = [...reverter.permissions, ...reverter.restorePermissions];
      expect(all.every((permission) => permission.startsWith('ec2:'))).toBe(true);
      expect(reverter.resources).toContain('*');
      expect(all.some((permission) => ACCOUNT_WIDE_ACTIONS.some((pattern) => pattern.test(permission)))).toBe(
        true,
      );
    }
  });

  it('has at least the three detections positive fixtures', () => {
    expect(positives.length).toBeGreaterThanOrEqual(12);
  });

  it.each(positives)('finds a change in %s', (file, action) => {
    const { detail } = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { detail: CloudTrailRecord };
    const changes = EC2_REVERTERS.flatMap((reverter) => reverter.changesOf(detail));
    expect(changes.length).toBeGreaterThanOrEqual(1);
    expect(changes.map((change) => change.revert)).toContain(action);
  });
});
