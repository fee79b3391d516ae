/**
 * Which incident holds a role or an instance now: the `cordon:incident` tag its latest
 * containment put on it. Restoring an earlier incident while a later one is open would lift what
 * the later one relies on (it found the revocation or the isolation already in place and recorded
 * "already done"), so restore-incident.ts leaves such a principal in place until the later
 * incident is restored. IAM users have their own, finer hand-over (restore-incident.ts).
 */
import { DescribeTagsCommand } from '@aws-sdk/client-ec2';
import { ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { INCIDENT_TAG } from '../actions/iam-user/tags';
import type { ActionClients, AnyContainment } from '../actions/registry';
import { settle, type Read } from '../actions/types';

export async function incidentTagOf(
  containment: Exclude<AnyContainment, { kind: 'cordon/iam-user-containment' }>,
  clients: ActionClients,
): Promise<Read<string | null>> {
  switch (containment.kind) {
    case 'cordon/iam-role-containment':
      return settle(async () => {
        const { Tags } = await clients.iam.send(new ListRoleTagsCommand({ RoleName: containment.roleName }));
        return Tags?.find((tag) => tag.Key === INCIDENT_TAG)?.Value ?? null;
      });
    case 'cordon/ec2-instance-containment':
      return settle(async () => {
        const { Tags } = await clients.ec2(containment.region).send(
          new DescribeTagsCommand({
            Filters: [
              { Name: 'resource-id', Values: [containment.instanceId] },
              { Name: 'key', Values: [INCIDENT_TAG] },
            ],
          }),
        );
        return Tags?.[0]?.Value ?? null;
      });
  }
}
