/**
 * `cancel-spot-requests`: a Spot Instance request, a Spot Fleet request or an EC2 Fleet of type
 * `maintain`/`request` the attacker made keeps launching instances (and replaces the ones stopped)
 * until it is cancelled. It is cancelled with its instances kept, and then its instances are
 * stopped (terminated with `sweep.terminateInstances`), like the instances of stop-launched-instances.
 * A cancelled request cannot be made again by restore (a manual step); the instances are started again.
 */
import { at, changeOf, isEventOf, stringAt } from '../record-fields';
import type {
  ChangeReverter,
  CloudTrailRecord,
  RevertContext,
  RevertibleChange,
  RevertOutcome,
} from '../types';
import { haltInstance, instanceTarget, readInstances, restartHalted } from './instance-halt';
import { describeError, eventOf, foreignAccountOutcome, outcome, refused, unchanged } from './outcomes';
import { idsOf, listOf } from './record-lists';
import {
  cancelRequest,
  isSettled,
  readRequest,
  requestName,
  requestTarget,
  type SpotRequestKind,
} from './spot-requests';
import { fleetResponseOf, fleetTypeOf } from './stop-launched-instances';

export type SpotRequest = {
  /** The account the record names (recipientAccountId), null when it names none. */
  readonly accountId: string | null;
  readonly kind: SpotRequestKind;
  readonly requestId: string;
};

/** What the revert read of the request: restore says what it cannot give back. */
export type RequestBefore = {
  readonly kind: SpotRequestKind;
  readonly requestId: string;
  readonly state: string | null;
};

function requestsOf(record: CloudTrailRecord): readonly { kind: SpotRequestKind; id: string }[] {
  const response = record.responseElements;
  switch (record.eventName) {
    case 'RequestSpotInstances':
      return idsOf(
        listOf(at(response, 'spotInstanceRequestSet')).map((item) => at(item, 'spotInstanceRequestId')),
        /^sir-[0-9a-z]+$/,
      ).map((id) => ({ kind: 'spot-instance-request' as const, id }));
    case 'RequestSpotFleet': {
      const id =
        stringAt(response, 'RequestSpotFleetResponse', 'spotFleetRequestId') ??
        stringAt(response, 'spotFleetRequestId');
      return id && /^sfr-[0-9a-f-]+$/.test(id) ? [{ kind: 'spot-fleet-request', id }] : [];
    }
    case 'CreateFleet': {
      if (fleetTypeOf(record) === 'instant') return [];
      const id = stringAt(fleetResponseOf(record), 'fleetId');
      return id && /^fleet-[0-9a-f-]+$/.test(id) ? [{ kind: 'ec2-fleet', id }] : [];
    }
    default:
      return [];
  }
}

const ACTION = 'cancel-spot-requests';

export const cancelSpotRequests: ChangeReverter<SpotRequest> = {
  action: ACTION,
  permissions: [
    'ec2:DescribeSpotInstanceRequests',
    'ec2:DescribeSpotFleetRequests',
    'ec2:DescribeSpotFleetInstances',
    'ec2:DescribeFleets',
    'ec2:DescribeFleetInstances',
    'ec2:DescribeInstances',
    'ec2:DescribeInstanceAttribute',
    'ec2:CancelSpotInstanceRequests',
    'ec2:CancelSpotFleetRequests',
    'ec2:DeleteFleets',
    'ec2:StopInstances',
    'ec2:TerminateInstances',
  ],
  restorePermissions: ['ec2:DescribeInstances', 'ec2:StartInstances'],
  resources: ['ec2:spot-instances-request', 'ec2:spot-fleet-request', 'ec2:fleet', 'ec2:instance', '*'],
  events: {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['RequestSpotInstances', 'RequestSpotFleet', 'CreateFleet'],
  },
  sweepSwitch: 'cancelSpotRequests',
  summary:
    'cancels the Spot requests and EC2 Fleets the event made, keeping their instances, then stops those instances (terminates them with sweep.terminateInstances)',

  changesOf(record) {
    const basics = isEventOf(this, record);
    if (!basics) return [];
    return requestsOf(record).map(({ kind, id }) =>
      changeOf(ACTION, basics, requestTarget(kind, id), {
        accountId: basics.accountId ?? null,
        kind,
        requestId: id,
      }),
    );
  },

  async revert(change, context) {
    const foreign = foreignAccountOutcome(ACTION, change, context.accountId);
    if (foreign) return [foreign];
    const { kind, requestId } = change.details;
    const ec2 = context.clients.ec2(change.region);
    const name = `${requestName(kind, requestId)}, made by ${eventOf(change)}`;
    const read = await readRequest(ec2, kind, requestId);
    if (!read.ok)
      return [
        outcome(
          ACTION,
          change.target,
          'failed',
          `${name}: could not be read, NOT cancelled: ${describeError(read.error)}`,
          null,
          { error: read.error },
        ),
      ];
    const { state, instanceIds } = read.value;
    const before: RequestBefore = { kind, requestId, state };
    let cancelled: RevertOutcome;
    if (state === null)
      cancelled = unchanged(ACTION, change.target, context.dryRun, `${name}: no longer exists`, before);
    else if (isSettled(kind, state))
      cancelled = unchanged(ACTION, change.target, context.dryRun, `${name}: already ${state}`, before);
    else if (context.dryRun)
      cancelled = outcome(
        ACTION,
        change.target,
        'planned',
        `${name}: would be cancelled (it is ${state}), its instances kept and then halted`,
        before,
      );
    else {
      const error = await cancelRequest(ec2, kind, requestId);
      cancelled = error
        ? outcome(
            ACTION,
            change.target,
            'failed',
            `${name}: NOT cancelled: ${describeError(error)}`,
            before,
            { error },
          )
        : outcome(
            ACTION,
            change.target,
            'done',
            `${name}: cancelled (it was ${state}); it launches no more instances`,
            before,
          );
    }
    return [cancelled, ...(await haltLaunched(change, instanceIds, context))];
  },

  async undo(change, outcomes, context) {
    const action = `undo-${ACTION}`;
    const request = outcomes.find((o) => o.target === change.target);
    const name = requestName(change.details.kind, change.details.requestId);
    const requestOutcome: RevertOutcome =
      request?.status === 'done'
        ? refused(
            action,
            change.target,
            'NotRestorable',
            `${name} was cancelled by the revert of ${eventOf(change)}: a cancelled request cannot be made active again`,
            request.before,
            `If ${name} was legitimate, make the request again (it was cancelled by the revert of ${eventOf(change)})`,
          )
        : unchanged(
            action,
            change.target,
            context.dryRun,
            `${name}: the revert did not cancel it`,
            request?.before ?? null,
          );
    const dryRunStep =
      context.dryRun && requestOutcome.status === 'failed'
        ? outcome(action, change.target, 'planned', requestOutcome.detail, requestOutcome.before, {
            manualStep: requestOutcome.manualStep,
          })
        : requestOutcome;
    const halted = outcomes.filter((o) => o.target.startsWith('instance/'));
    return [dryRunStep, ...(await restartHalted(action, change, halted, context))];
  },
};

/** Halts the instances the request launched, as configured (one read of their states). */
async function haltLaunched(
  change: RevertibleChange<SpotRequest>,
  instanceIds: readonly string[],
  context: RevertContext,
): Promise<readonly RevertOutcome[]> {
  if (instanceIds.length === 0) return [];
  const ec2 = context.clients.ec2(change.region);
  const why = `launched by ${requestName(change.details.kind, change.details.requestId)} (${eventOf(change)})`;
  const read = await readInstances(ec2, instanceIds);
  if (!read.ok)
    return instanceIds.map((instanceId) =>
      outcome(
        ACTION,
        instanceTarget(instanceId),
        'failed',
        `instance ${instanceId}, ${why}: its state could not be read, NOT halted`,
        null,
        { error: read.error },
      ),
    );
  const halt = context.options.terminateInstances ? 'terminate' : 'stop';
  return Promise.all(
    instanceIds.map((instanceId) =>
      haltInstance(ec2, {
        action: ACTION,
        instanceId,
        facts: read.value.get(instanceId),
        halt,
        dryRun: context.dryRun,
        why,
      }),
    ),
  );
}
