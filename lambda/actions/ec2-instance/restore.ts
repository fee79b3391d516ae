/**
 * Undoes an isolation from its record, and only what it did (`done`, not `already-done`): each
 * interface back in its previous groups if it is still isolated, termination protection and the
 * tags as before, the instance started again if this containment stopped it. The instance is read
 * once, first: what changed since is left alone, and an instance gone since has nothing to
 * restore. The snapshots and Cordon's groups are kept, and the outcomes say so: the snapshots are
 * evidence, the groups serve the next isolation in the VPC.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { INCIDENT_TAG } from '../iam-user/tags';
import { settle } from '../types';
import { describeError, interfaceTarget, outcome, unchanged } from './context';
import { INSTANCE_NOT_FOUND, isGone, readInstance } from './instance';
import { restoreNetworkInterface } from './network-interfaces';
import {
  INSTANCE_RESTORE_RESULT_KIND,
  type InstanceContainmentOutcome,
  type InstanceContainmentResult,
  type InstanceRestoreOutcome,
  type InstanceRestoreResult,
} from './record';
import { startInstance } from './stop';
import { restoreInstanceTags } from './tags';
import { restoreTerminationProtection } from './termination-protection';

export interface RestoreInstanceInput {
  /** For the instance's region (`record.region`). */
  readonly ec2: EC2Client;
  readonly record: InstanceContainmentResult;
  /** Read and plan; write nothing (outcomes `planned`). */
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

/** The containment actions a restore undoes (the snapshots and Cordon's groups are kept). */
const UNDOABLE = [
  'isolate-network-interface',
  'enable-termination-protection',
  'tag-instance',
  'stop-instance',
] as const;

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
  if (UNDOABLE.every((action) => doneOf(record, action).length === 0))
    return { ...base, complete: true, outcomes: [], manualSteps: [] };

  const current = await settle(() => readInstance(ec2, instanceId, record.region));
  if (!current.ok && current.error.name !== INSTANCE_NOT_FOUND) {
    // Nothing can be told of the instance now: every step fails, to be run again.
    const { error } = current;
    const detail = `not restored: ${instanceId} could not be read (${describeError(error)}); run the restore again`;
    const outcomes: InstanceRestoreOutcome[] = [
      ...doneOf(record, 'isolate-network-interface').map((o) =>
        outcome('restore-network-interface-groups', o.target, 'failed', detail, o.before, error),
      ),
      ...doneOf(record, 'enable-termination-protection').map((o) =>
        outcome('restore-termination-protection', o.target, 'failed', detail, o.before, error),
      ),
      ...doneOf(record, 'tag-instance').map((o) =>
        outcome('restore-instance-tags', o.target, 'failed', detail, o.before, error),
      ),
      ...doneOf(record, 'stop-instance').map((o) =>
        outcome('start-instance', o.target, 'failed', detail, o.before, error),
      ),
    ];
    return { ...base, complete: false, outcomes, manualSteps: [] };
  }
  const gone = !current.ok || isGone(current.value.state);
  const now = current.ok ? current.value : undefined;
  const goneDetail = `${now ? `${instanceId} is ${now.state} since` : `${instanceId} no longer exists`}: nothing to restore`;
  const groups = { isolationGroupId: record.isolationGroupId, untrackGroupId: record.untrackGroupId ?? null };
  const outcomes: InstanceRestoreOutcome[] = await Promise.all([
    ...doneOf(record, 'isolate-network-interface').map((o) =>
      gone || !now
        ? unchanged('restore-network-interface-groups', o.target, dryRun, goneDetail, o.before)
        : restoreNetworkInterface(
            ec2,
            o,
            now.networkInterfaces.find((eni) => interfaceTarget(eni.networkInterfaceId) === o.target),
            groups,
            dryRun,
          ),
    ),
    ...doneOf(record, 'enable-termination-protection').map((o) =>
      gone
        ? unchanged('restore-termination-protection', o.target, dryRun, goneDetail, o.before)
        : restoreTerminationProtection(ec2, o, instanceId, dryRun),
    ),
    ...doneOf(record, 'tag-instance').map((o) =>
      gone
        ? unchanged('restore-instance-tags', o.target, dryRun, goneDetail, o.before)
        : restoreInstanceTags(ec2, o, instanceId, dryRun),
    ),
    ...doneOf(record, 'stop-instance').map((o) =>
      gone || !now
        ? unchanged('start-instance', o.target, dryRun, goneDetail, o.before)
        : startInstance(ec2, o, instanceId, now.state, dryRun),
    ),
  ]);
  // The snapshots are kept: said once, on the instance's tags (else on the last outcome).
  if (record.snapshotIds.length) {
    const at = outcomes.findIndex((o) => o.action === 'restore-instance-tags');
    const i = at >= 0 ? at : outcomes.length - 1;
    const note = `the snapshots ${record.snapshotIds.join(', ')} (tagged ${INCIDENT_TAG}=${record.incidentId}) are kept as evidence`;
    outcomes[i] = { ...outcomes[i], detail: `${outcomes[i].detail}; ${note}` };
  }
  const unknown = outcomes.filter((o) => o.error?.name === 'UnknownGroupsBefore').map((o) => o.target);
  const manualSteps = unknown.length
    ? [
        `Choose the groups of ${unknown.join(', ')} by hand: their groups before isolation are unknown, so they are left isolated.`,
      ]
    : [];
  return {
    ...base,
    complete: manualSteps.length === 0 && outcomes.every((o) => o.status !== 'failed'),
    outcomes,
    manualSteps,
  };
}
