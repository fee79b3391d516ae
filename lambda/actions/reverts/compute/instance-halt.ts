/**
 * Halting an instance the attacker started, and starting it again on restore. Stopping is the
 * default: the instance stops running up a bill (GPU miners cost thousands a day) while its EBS
 * volumes stay as evidence. With `sweep.terminateInstances` it is terminated instead, which no
 * restore can undo; termination protection, when on, is respected (the outcome fails and says so)
 * and never turned off. Restore starts only what the revert itself stopped and was running before.
 */
import {
  DescribeInstanceAttributeCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { attempt, settle, type Read } from '../../types';
import type { JsonValue, RevertibleChange, RevertOutcome, UndoContext } from '../types';
import { describeError, eventOf, outcome, refused, unchanged } from './outcomes';

/** What the revert does to an instance. */
export type Halt = 'stop' | 'terminate';

/** An instance's state before the revert, and what the revert does to it (restore reads both). */
export type InstanceBefore = {
  readonly instanceId: string;
  /** `running`, `stopped`, ...; `gone` when EC2 no longer lists it. */
  readonly state: string;
  readonly halt: Halt;
};

export interface InstanceFacts {
  readonly state: string;
  /** `spot` for a Spot Instance, absent for On-Demand. */
  readonly lifecycle?: string;
}

export const instanceTarget = (instanceId: string) => `instance/${instanceId}`;

const GONE = 'gone';
const ENDED = new Set(['terminated', 'shutting-down']);
const HALTED = new Set(['stopped', 'stopping']);
const UP = new Set(['running', 'pending']);

/** The states of these instances (one paginated DescribeInstances); an id EC2 no longer lists is absent. */
export async function readInstances(
  ec2: EC2Client,
  instanceIds: readonly string[],
): Promise<Read<ReadonlyMap<string, InstanceFacts>>> {
  return settle(async () => {
    const facts = new Map<string, InstanceFacts>();
    if (instanceIds.length === 0) return facts;
    // A filter, not InstanceIds: an id that is gone is left out instead of failing the whole read.
    const pages = paginateDescribeInstances(
      { client: ec2 },
      { Filters: [{ Name: 'instance-id', Values: [...instanceIds] }] },
    );
    for await (const page of pages)
      for (const reservation of page.Reservations ?? [])
        for (const instance of reservation.Instances ?? [])
          if (instance.InstanceId && instance.State?.Name)
            facts.set(instance.InstanceId, {
              state: instance.State.Name,
              ...(instance.InstanceLifecycle ? { lifecycle: instance.InstanceLifecycle } : {}),
            });
    return facts;
  });
}

export function instanceBeforeOf(value: JsonValue): InstanceBefore | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { instanceId, state, halt } = value as Record<string, JsonValue>;
  if (typeof instanceId !== 'string' || typeof state !== 'string') return undefined;
  if (halt !== 'stop' && halt !== 'terminate') return undefined;
  return { instanceId, state, halt };
}

export interface HaltRequest {
  readonly action: string;
  readonly instanceId: string;
  /** Its state now (undefined: EC2 no longer lists it). */
  readonly facts: InstanceFacts | undefined;
  readonly halt: Halt;
  readonly dryRun: boolean;
  /** Why it is halted, ending the sentence: `launched by RunInstances (event …) in us-east-1`. */
  readonly why: string;
}

async function terminationProtected(ec2: EC2Client, instanceId: string): Promise<boolean | undefined> {
  const read = await settle(() =>
    ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
    ),
  );
  return read.ok ? (read.value.DisableApiTermination?.Value ?? false) : undefined;
}

/** Stops (or terminates) one instance, from its state now; reads first, never rejects. */
export async function haltInstance(ec2: EC2Client, request: HaltRequest): Promise<RevertOutcome> {
  const { action, instanceId, facts, halt, dryRun, why } = request;
  const target = instanceTarget(instanceId);
  const name = `instance ${instanceId}, ${why}`;
  const before: InstanceBefore = { instanceId, state: facts?.state ?? GONE, halt };
  if (!facts) return unchanged(action, target, dryRun, `${name}: no longer exists (terminated)`, before);
  if (ENDED.has(facts.state))
    return unchanged(action, target, dryRun, `${name}: already ${facts.state}`, before);
  if (halt === 'stop') {
    if (HALTED.has(facts.state))
      return unchanged(action, target, dryRun, `${name}: already ${facts.state}`, before);
    if (dryRun)
      return outcome(
        action,
        target,
        'planned',
        `${name}: would be stopped (it is ${facts.state}); its EBS volumes are kept`,
        before,
      );
    const error = await attempt(() => ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] })));
    if (!error)
      return outcome(
        action,
        target,
        'done',
        `${name}: stopping (it was ${facts.state}); its EBS volumes are kept`,
        before,
      );
    const spotHint =
      facts.lifecycle === 'spot'
        ? ' (a Spot Instance of a one-time request cannot be stopped: set sweep.terminateInstances, or terminate it by hand)'
        : '';
    return outcome(
      action,
      target,
      'failed',
      `${name}: NOT stopped${spotHint}: ${describeError(error)}`,
      before,
      { error },
    );
  }
  if (await terminationProtected(ec2, instanceId))
    return refused(
      action,
      target,
      'TerminationProtected',
      `${name}: NOT terminated: its termination protection is on, and Cordon leaves it on`,
      before,
      `Instance ${instanceId} (${why}) has termination protection on: stop it, or turn the protection off and terminate it by hand if it is the attacker's`,
    );
  if (dryRun)
    return outcome(
      action,
      target,
      'planned',
      `${name}: would be terminated (sweep.terminateInstances; it is ${facts.state}): this cannot be undone`,
      before,
    );
  const error = await attempt(() => ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })));
  return error
    ? outcome(action, target, 'failed', `${name}: NOT terminated: ${describeError(error)}`, before, { error })
    : outcome(
        action,
        target,
        'done',
        `${name}: terminating (sweep.terminateInstances; it was ${facts.state})`,
        before,
      );
}

export interface RestartRequest {
  readonly action: string;
  /** What the revert reported for this instance. */
  readonly reverted: RevertOutcome;
  /** Its state now (undefined: EC2 no longer lists it). */
  readonly facts: InstanceFacts | undefined;
  readonly dryRun: boolean;
  /** What halted it, ending the sentence: `stopped by the revert of RunInstances (event …) in us-east-1`. */
  readonly why: string;
}

/** Starts again an instance the revert stopped, if it was running before; never rejects. */
export async function restartInstance(ec2: EC2Client, request: RestartRequest): Promise<RevertOutcome> {
  const { action, reverted, facts, dryRun, why } = request;
  const before = instanceBeforeOf(reverted.before);
  const target = reverted.target;
  if (reverted.status !== 'done' || !before)
    return unchanged(
      action,
      target,
      dryRun,
      `${target}: the revert did not change it (${reverted.status})`,
      reverted.before,
    );
  const name = `instance ${before.instanceId}`;
  if (before.halt === 'terminate') {
    const detail = `${name} was terminated ${why}: no API brings it back`;
    return dryRun
      ? outcome(action, target, 'planned', detail, reverted.before, {
          manualStep: `Relaunch instance ${before.instanceId} from its image and backups if it was legitimate (terminated ${why})`,
        })
      : refused(
          action,
          target,
          'NotRestorable',
          detail,
          reverted.before,
          `Relaunch instance ${before.instanceId} from its image and backups if it was legitimate (terminated ${why})`,
        );
  }
  if (!UP.has(before.state))
    return unchanged(
      action,
      target,
      dryRun,
      `${name} was ${before.state} before the revert: left as it is`,
      reverted.before,
    );
  if (!facts || ENDED.has(facts.state))
    return refused(
      action,
      target,
      'InstanceTerminated',
      `${name} (stopped ${why}) has been terminated since: it cannot be started`,
      reverted.before,
      `Relaunch instance ${before.instanceId} if it was legitimate: it was terminated after Cordon stopped it`,
    );
  if (UP.has(facts.state))
    return unchanged(
      action,
      target,
      dryRun,
      `${name} is already ${facts.state} (started since it was stopped)`,
      reverted.before,
    );
  if (facts.state === 'stopping')
    return refused(
      action,
      target,
      'IncorrectInstanceState',
      `${name} is still stopping: run the restore again once it is stopped`,
      reverted.before,
    );
  if (dryRun)
    return outcome(
      action,
      target,
      'planned',
      `${name} would be started again (it was ${before.state} before it was stopped ${why})`,
      reverted.before,
    );
  const error = await attempt(() =>
    ec2.send(new StartInstancesCommand({ InstanceIds: [before.instanceId] })),
  );
  return error
    ? outcome(
        action,
        target,
        'failed',
        `${name} NOT started again: ${describeError(error)}`,
        reverted.before,
        { error },
      )
    : outcome(
        action,
        target,
        'done',
        `${name} starting again (it was ${before.state} before it was stopped ${why})`,
        reverted.before,
      );
}

/** Starts again the instances a revert of this change halted, from their state now (one read). */
export async function restartHalted(
  action: string,
  change: RevertibleChange,
  halted: readonly RevertOutcome[],
  context: UndoContext,
): Promise<readonly RevertOutcome[]> {
  if (halted.length === 0) return [];
  const ec2 = context.clients.ec2(change.region);
  const idOf = (reverted: RevertOutcome) => reverted.target.slice('instance/'.length);
  const read = await readInstances(ec2, halted.map(idOf));
  if (!read.ok)
    return halted.map((reverted) =>
      outcome(
        action,
        reverted.target,
        'failed',
        `${reverted.target}: its state could not be read, NOT started again`,
        reverted.before,
        { error: read.error },
      ),
    );
  const why = `by the revert of ${eventOf(change)}`;
  return Promise.all(
    halted.map((reverted) =>
      restartInstance(ec2, {
        action,
        reverted,
        facts: read.value.get(idOf(reverted)),
        dryRun: context.dryRun,
        why,
      }),
    ),
  );
}
