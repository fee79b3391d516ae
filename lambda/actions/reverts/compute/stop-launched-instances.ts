/**
 * `stop-launched-instances`: the instances an attacker launched (RunInstances, or an EC2 Fleet of
 * type `instant`, which launches at once and names its instances in its answer) are stopped, or
 * terminated with `sweep.terminateInstances`. One change per instance. Fleets of type `maintain`
 * and `request` keep launching: cancel-spot-requests deletes those and halts their instances.
 */
import { at, changeOf, isEventOf, stringAt } from '../record-fields';
import type { ChangeReverter, CloudTrailRecord } from '../types';
import { haltInstance, instanceTarget, readInstances, restartHalted } from './instance-halt';
import { eventOf, foreignAccountOutcome, outcome, unchanged } from './outcomes';
import { idsOf, listOf } from './record-lists';

export type LaunchedInstance = {
  /** The account the record names (recipientAccountId), null when it names none. */
  readonly accountId: string | null;
  readonly instanceId: string;
};

const INSTANCE_ID = /^i-[0-9a-f]+$/;

/** The type of a CreateFleet request (`maintain` when unsaid, as for EC2), lower-case. */
export function fleetTypeOf(record: CloudTrailRecord): string {
  const request = at(record.requestParameters, 'CreateFleetRequest') ?? record.requestParameters;
  return (stringAt(request, 'Type') ?? stringAt(request, 'type') ?? 'maintain').toLowerCase();
}

/** The answer of a CreateFleet call: wrapped in `CreateFleetResponse` as CloudTrail logs it, or bare. */
export function fleetResponseOf(record: CloudTrailRecord): unknown {
  return at(record.responseElements, 'CreateFleetResponse') ?? record.responseElements;
}

function launchedIds(record: CloudTrailRecord): readonly string[] {
  if (record.eventName === 'RunInstances')
    return idsOf(
      listOf(at(record.responseElements, 'instancesSet')).map((item) => at(item, 'instanceId')),
      INSTANCE_ID,
    );
  if (fleetTypeOf(record) !== 'instant') return [];
  const launched = listOf(at(fleetResponseOf(record), 'fleetInstanceSet'));
  return idsOf(
    launched.flatMap((item) => listOf(at(item, 'instanceIds'))),
    INSTANCE_ID,
  );
}

const ACTION = 'stop-launched-instances';

export const stopLaunchedInstances: ChangeReverter<LaunchedInstance> = {
  action: ACTION,
  permissions: [
    'ec2:DescribeInstances',
    'ec2:DescribeInstanceAttribute',
    'ec2:StopInstances',
    'ec2:TerminateInstances',
  ],
  restorePermissions: ['ec2:DescribeInstances', 'ec2:StartInstances'],
  resources: ['ec2:instance', '*'],
  events: { eventSource: 'ec2.amazonaws.com', eventNames: ['RunInstances', 'CreateFleet'] },
  sweepSwitch: 'stopInstances',
  summary:
    'stops the instances the event launched (RunInstances, instant EC2 Fleets), or terminates them with sweep.terminateInstances',

  changesOf(record) {
    const basics = isEventOf(this, record);
    if (!basics) return [];
    return launchedIds(record).map((instanceId) =>
      changeOf(ACTION, basics, instanceTarget(instanceId), {
        accountId: basics.accountId ?? null,
        instanceId,
      }),
    );
  },

  async revert(change, context) {
    const foreign = foreignAccountOutcome(ACTION, change, context.accountId);
    if (foreign) return [foreign];
    const { instanceId } = change.details;
    const ec2 = context.clients.ec2(change.region);
    const read = await readInstances(ec2, [instanceId]);
    if (!read.ok)
      return [
        outcome(
          ACTION,
          change.target,
          'failed',
          `instance ${instanceId}, launched by ${eventOf(change)}: its state could not be read, NOT changed`,
          null,
          { error: read.error },
        ),
      ];
    return [
      await haltInstance(ec2, {
        action: ACTION,
        instanceId,
        facts: read.value.get(instanceId),
        halt: context.options.terminateInstances ? 'terminate' : 'stop',
        dryRun: context.dryRun,
        why: `launched by ${eventOf(change)}`,
      }),
    ];
  },

  async undo(change, outcomes, context) {
    const halted = outcomes.filter((reverted) => reverted.target === change.target);
    if (halted.length === 0)
      return [
        unchanged(
          `undo-${ACTION}`,
          change.target,
          context.dryRun,
          `instance ${change.details.instanceId}: the revert recorded no change to undo`,
          null,
        ),
      ];
    return restartHalted(`undo-${ACTION}`, change, halted, context);
  },
};
