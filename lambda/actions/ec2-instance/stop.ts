/**
 * Stopping the instance, when `instanceIsolation.stopInstance` asks (off by default: stopping
 * loses its memory, which is evidence, and isolation already cuts it off). Restore starts it
 * again only if this containment stopped it.
 */
import { StartInstancesCommand, StopInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { attempt, type ActionModule, type ActionOutcome } from '../types';
import { describeError, instanceTarget, outcome, unchanged, type IsolateContext } from './context';

export const instanceStop = {
  action: 'stop-instance',
  permissions: ['ec2:StopInstances'],
  restorePermissions: ['ec2:StartInstances'],
  resources: ['ec2:instance'],
} as const satisfies ActionModule;

export interface InstanceStateBefore {
  readonly state: string;
}
export type StopInstanceOutcome = ActionOutcome<'stop-instance', InstanceStateBefore>;
export type StartInstanceOutcome = ActionOutcome<'start-instance', InstanceStateBefore>;

export async function stopInstance(ctx: IsolateContext, state: string): Promise<StopInstanceOutcome> {
  const target = instanceTarget(ctx.instanceId);
  const before = { state };
  if (state === 'stopped' || state === 'stopping')
    return unchanged(
      instanceStop.action,
      target,
      ctx.dryRun,
      `already ${state}: restore will not start it`,
      before,
    );
  if (ctx.dryRun)
    return outcome(
      instanceStop.action,
      target,
      'planned',
      'would be stopped (instanceIsolation.stopInstance): its memory is lost',
      before,
    );
  const error = await attempt(() =>
    ctx.ec2.send(new StopInstancesCommand({ InstanceIds: [ctx.instanceId] })),
  );
  return error
    ? outcome(instanceStop.action, target, 'failed', `not stopped: ${describeError(error)}`, before, error)
    : outcome(
        instanceStop.action,
        target,
        'done',
        'stopping (instanceIsolation.stopInstance); its EBS volumes are kept',
        before,
      );
}

/**
 * Starts again an instance this containment stopped, from its state now: one started since is left
 * alone; one still stopping cannot be started yet (EC2 refuses), so the restore is to be run again.
 */
export async function startInstance(
  ec2: EC2Client,
  contained: StopInstanceOutcome,
  instanceId: string,
  state: string,
  dryRun: boolean,
): Promise<StartInstanceOutcome> {
  const action = 'start-instance';
  const { target, before } = contained;
  if (state === 'running' || state === 'pending')
    return unchanged(action, target, dryRun, `already ${state} (started since it was stopped)`, before);
  if (state === 'stopping') {
    const detail = 'still stopping: it can be started once stopped; run the restore again then';
    return outcome(action, target, 'failed', detail, before, {
      name: 'IncorrectInstanceState',
      message: detail,
    });
  }
  if (dryRun)
    return outcome(action, target, 'planned', `would be started again (it was ${before.state})`, before);
  const error = await attempt(() => ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] })));
  return error
    ? outcome(action, target, 'failed', `not started: ${describeError(error)}`, before, error)
    : outcome(action, target, 'done', `starting again (it was ${before.state})`, before);
}
