/** Termination protection on, so that nobody (the attacker included) destroys the evidence by terminating the instance. */
import { ModifyInstanceAttributeCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { attempt, type ActionModule, type ActionOutcome, type Read } from '../types';
import { describeError, instanceTarget, outcome, unchanged, type IsolateContext } from './context';

export const terminationProtection = {
  action: 'enable-termination-protection',
  permissions: ['ec2:ModifyInstanceAttribute'],
  restorePermissions: ['ec2:ModifyInstanceAttribute'],
  resources: ['ec2:instance'],
} as const satisfies ActionModule;

/** Whether it was on before (null: it could not be read). */
export interface ProtectionBefore {
  readonly enabled: boolean | null;
}
export type EnableTerminationProtectionOutcome = ActionOutcome<
  'enable-termination-protection',
  ProtectionBefore
>;
export type RestoreTerminationProtectionOutcome = ActionOutcome<
  'restore-termination-protection',
  ProtectionBefore
>;

const setProtection = (ec2: EC2Client, instanceId: string, value: boolean) =>
  ec2.send(
    new ModifyInstanceAttributeCommand({ InstanceId: instanceId, DisableApiTermination: { Value: value } }),
  );

export async function enableTerminationProtection(
  ctx: IsolateContext,
  read: Read<boolean>,
): Promise<EnableTerminationProtectionOutcome> {
  const target = instanceTarget(ctx.instanceId);
  const before = { enabled: read.ok ? read.value : null };
  if (read.ok && read.value)
    return unchanged(
      terminationProtection.action,
      target,
      ctx.dryRun,
      'termination protection was already on',
      before,
    );
  if (ctx.dryRun)
    return outcome(
      terminationProtection.action,
      target,
      'planned',
      'termination protection would be turned on',
      before,
    );
  const error = await attempt(() => setProtection(ctx.ec2, ctx.instanceId, true));
  return error
    ? outcome(
        terminationProtection.action,
        target,
        'failed',
        `termination protection NOT on: ${describeError(error)}`,
        before,
        error,
      )
    : outcome(
        terminationProtection.action,
        target,
        'done',
        'termination protection on: the instance cannot be terminated until it is turned off',
        before,
      );
}

export async function restoreTerminationProtection(
  ec2: EC2Client,
  contained: EnableTerminationProtectionOutcome,
  instanceId: string,
  dryRun: boolean,
): Promise<RestoreTerminationProtectionOutcome> {
  const action = 'restore-termination-protection';
  const { before } = contained;
  if (before.enabled !== false) {
    return unchanged(
      action,
      contained.target,
      dryRun,
      'it was on before isolation, or unknown: left on',
      before,
    );
  }
  if (dryRun)
    return outcome(
      action,
      contained.target,
      'planned',
      'termination protection would be turned off, as before',
      before,
    );
  const error = await attempt(() => setProtection(ec2, instanceId, false));
  return error
    ? outcome(
        action,
        contained.target,
        'failed',
        `termination protection is still on: ${describeError(error)}`,
        before,
        error,
      )
    : outcome(action, contained.target, 'done', 'termination protection off, as before', before);
}
