/**
 * Which incident holds a role or an instance now: the `cordon:incident` tag its latest
 * containment put on it. Restoring an earlier incident while a later one is open would lift what
 * the later one relies on (it found the revocation or the isolation already in place and recorded
 * "already done"), so restore-incident.ts leaves such a principal in place until the later
 * incident is restored. IAM users have their own, finer hand-over (restore-incident.ts).
 */
import { readInstance } from '../actions/ec2-instance/instance';
import { readRoleTags } from '../actions/iam-role/tags';
import { INCIDENT_TAG, type TagState } from '../actions/iam-user/tags';
import type { ActionClients, AnyContainment } from '../actions/registry';
import { settle, type Read } from '../actions/types';

export async function incidentTagOf(
  containment: Exclude<AnyContainment, { kind: 'cordon/iam-user-containment' }>,
  clients: ActionClients,
): Promise<Read<string | null>> {
  // The families' own reads, which their restore already declares (ListRoleTags, DescribeInstances).
  const incidentOf = (tags: readonly TagState[]) =>
    tags.find((tag) => tag.key === INCIDENT_TAG)?.value ?? null;
  switch (containment.kind) {
    case 'cordon/iam-role-containment':
      return settle(async () => incidentOf(await readRoleTags(clients.iam, containment.roleName)));
    case 'cordon/ec2-instance-containment':
      return settle(async () => {
        const { region, instanceId } = containment;
        return incidentOf((await readInstance(clients.ec2(region), instanceId, region)).tags);
      });
    case 'cordon/change-revert':
      // A revert tags nothing: its undo puts back exactly the change it removed.
      return { ok: true, value: null };
  }
}
