/**
 * Stopping the instance, when `instanceIsolation.stopInstance` asks (off by default: stopping
 * loses its memory, which is evidence, and isolation already cuts it off). Restore starts it
 * again only if this containment stopped it.
 */
import { StartInstancesCommand, StopInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { attempt, type ActionModule, type ActionOutcome } from '../types';
import { describeError, instanceTarget, outcome, type IsolateContext } from './context';

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
    return outcome(instanceStop.action, target, 'already-done', `already ${state}`, before);
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

export async function startInstance(
  ec2: EC2Client,
  contained: StopInstanceOutcome,
  instanceId: string,
  dryRun: boolean,
): Promise<StartInstanceOutcome> {
  const action = 'start-instance';
  if (dryRun)
    return outcome(
      action,
      contained.target,
      'planned',
      `would be started again (it was ${contained.before.state})`,
      contained.before,
    );
  const error = await attempt(() => ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] })));
  return error
    ? outcome(
        action,
        contained.target,
        'failed',
        `not started: ${describeError(error)}`,
        contained.before,
        error,
      )
    : outcome(
        action,
        contained.target,
        'done',
        `starting again (it was ${contained.before.state})`,
        contained.before,
      );
}
