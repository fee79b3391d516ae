/**
 * Undoes an isolation from its record: each interface back in its previous groups (if it is still
 * isolated), termination protection and tags as before, the instance started again if this
 * containment stopped it. Only what this containment did (`done`) is undone. The snapshots and
 * Cordon's groups are kept: the snapshots are evidence, the groups serve the next isolation.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { settle } from '../types';
import { describeError } from './context';
import { readInstance } from './instance';
import { restoreNetworkInterface, type IsolateNetworkInterfaceOutcome } from './network-interfaces';
import {
  INSTANCE_RESTORE_RESULT_KIND,
  type InstanceContainmentOutcome,
  type InstanceContainmentResult,
  type InstanceRestoreOutcome,
  type InstanceRestoreResult,
} from './record';
import type { StopInstanceOutcome } from './stop';
import { startInstance } from './stop';
import type { TagInstanceOutcome } from './tags';
import { restoreInstanceTags } from './tags';
import type { EnableTerminationProtectionOutcome } from './termination-protection';
import { restoreTerminationProtection } from './termination-protection';

export interface RestoreInstanceInput {
  /** For the instance's region (`record.region`). */
  readonly ec2: EC2Client;
  readonly record: InstanceContainmentResult;
  readonly dryRun?: boolean;
}

const doneOf = <A extends InstanceContainmentOutcome['action']>(
  record: InstanceContainmentResult,
  action: A,
) =>
  record.outcomes.filter(
    (o): o is Extract<InstanceContainmentOutcome, { action: A }> =>
      o.action === action && o.status === 'done',
  );

export async function restoreInstance(input: RestoreInstanceInput): Promise<InstanceRestoreResult> {
  const { ec2, record } = input;
  const dryRun = input.dryRun ?? false;
  const { instanceId } = record;
  const base = {
    kind: INSTANCE_RESTORE_RESULT_KIND,
    incidentId: record.incidentId,
    dryRun,
    subject: record.subject,
    instanceId,
  } as const;
  const interfaces: IsolateNetworkInterfaceOutcome[] = doneOf(record, 'isolate-network-interface');
  const current = await settle(() => readInstance(ec2, instanceId, record.region));
  const manualSteps: string[] = [];
  if (!current.ok && current.error.name !== 'InstanceNotFound') {
    return {
      ...base,
      complete: false,
      outcomes: [],
      manualSteps: [
        `${instanceId} could not be read (${describeError(current.error)}): nothing was restored; run the restore again`,
      ],
    };
  }
  const now = current.ok ? current.value : undefined;
  const gone = !now || now.state === 'terminated';
  const outcomes: InstanceRestoreOutcome[] = await Promise.all([
    ...interfaces.map((o) =>
      restoreNetworkInterface(
        ec2,
        o,
        now?.networkInterfaces.find((eni) => `network-interface/${eni.networkInterfaceId}` === o.target),
        record.isolationGroupId,
        dryRun,
      ),
    ),
    ...(gone
      ? []
      : [
          ...doneOf(record, 'enable-termination-protection').map((o: EnableTerminationProtectionOutcome) =>
            restoreTerminationProtection(ec2, o, instanceId, dryRun),
          ),
          ...doneOf(record, 'tag-instance').map((o: TagInstanceOutcome) =>
            restoreInstanceTags(ec2, o, instanceId, dryRun),
          ),
          ...doneOf(record, 'stop-instance').map((o: StopInstanceOutcome) =>
            startInstance(ec2, o, instanceId, dryRun),
          ),
        ]),
  ]);
  if (record.snapshotIds.length && !dryRun) {
    manualSteps.push(
      `The snapshots ${record.snapshotIds.join(', ')} are kept as evidence: delete them once the investigation no longer needs them.`,
    );
  }
  return {
    ...base,
    // The kept snapshots are a reminder, not an unfinished restore.
    complete: outcomes.every((o) => o.status !== 'failed'),
    outcomes,
    manualSteps,
  };
}
