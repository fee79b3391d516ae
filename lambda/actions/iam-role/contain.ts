/**
 * Containment of an IAM role whose sessions were compromised (the attacker holds an `ASIA...`
 * session key of it): every session issued before the containment instant is revoked, the role is
 * tagged, and, when configured, denied every action outright.
 *
 * Two round trips, reads first. Writing the revocation before reading would save one, but the
 * read is what makes it correct: the previous `AWSRevokeOlderSessions` (a console revocation, an
 * earlier incident) is the before-state restore puts back, and it decides "already done"; a put
 * would replace it before it was read. So:
 *
 * 1. every read at once: GetRole (the ARN, and the one clear "no such role"), the current
 *    `AWSRevokeOlderSessions`, `cordon-deny-all` when asked, the tags;
 * 2. each write as soon as the role and its own read have answered, all in parallel.
 *
 * One failed read or write never stops another: each failure is an outcome with IAM's error. A
 * failed read of a policy never holds its write back (the before-state is then recorded as not
 * known); only the tags are not written without their read, so that no previous value is lost.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { DENY_ALL_POLICY_NAME } from '../iam-user/deny-policy';
import { errorOf, settle, type ActionOutcome } from '../types';
import { roleTarget, type RoleContainContext } from './context';
import { denyAllRole, type DenyAllRoleOutcome } from './deny-all';
import { readRoleInlinePolicy, UNKNOWN_POLICY_BEFORE } from './inline-policy';
import {
  ROLE_CONTAINMENT_RECORD_KIND,
  type RoleContainmentOutcome,
  type RoleContainmentResult,
  type RoleSnapshot,
} from './record';
import { REVOKE_OLDER_SESSIONS_POLICY_NAME, revokeOlderSessions, type Revocation } from './revoke-sessions';
import { readRole, roleGone } from './role';
import { readRoleTags, tagRole, type TagRoleOutcome } from './tags';

export interface RevokeRoleSessionsInput {
  /** Configured by the caller: region, credentials, bounded retry (lambda/responder/clients.ts). */
  readonly iam: IAMClient;
  readonly roleName: string;
  readonly incidentId: string;
  /** Read and plan, write nothing; outcomes are `planned`. Default false. */
  readonly dryRun?: boolean;
  /** The containment instant: sessions issued before it are revoked. */
  readonly now: Date;
  /**
   * ISO: when the attacker's session was seen in use. A revocation already in force at or after
   * it is "already done" (every session used then was issued before it). Default: `now`.
   */
  readonly attackSeenAt?: string;
  /** Also put Cordon's deny-all on the role (a config choice). Default false. */
  readonly denyAll?: boolean;
}

/** A step that threw instead of reporting (a bug) still gives a failed outcome; the others go on. */
async function guarded<O extends ActionOutcome>(
  step: Promise<O>,
  failed: (detail: string, error: ReturnType<typeof errorOf>) => O,
): Promise<O> {
  try {
    return await step;
  } catch (thrown) {
    return failed('stopped on an unexpected error: check it by hand', errorOf(thrown));
  }
}

function manualStepsOf(
  ctx: RoleContainContext,
  revocation: Revocation,
  denied: DenyAllRoleOutcome | undefined,
  roleExists: boolean,
): string[] {
  const role = `role ${ctx.roleName}`;
  if (!roleExists) {
    return [
      `Role ${ctx.roleName} no longer exists: find out in CloudTrail who deleted it (DeleteRole), what its sessions did before, and whether a role of that name was created again.`,
    ];
  }
  const findHow =
    `Find out how the attacker obtained a session of ${role} (CloudTrail: the AssumeRole* events for it, ` +
    `the instance, function or workload whose credentials leaked, who its trust policy lets assume it) and close that path: ` +
    `revoking sessions does not stop whoever can obtain a new one.`;
  if (ctx.dryRun) {
    return [
      `A real run would revoke every session of ${role} issued before the containment instant: every current user of the role, the legitimate ones too, would have to assume it again.`,
      findHow,
    ];
  }
  const steps: string[] = [];
  const { status } = revocation.outcome;
  if (status === 'done') {
    steps.push(
      `Every current user of ${role} is affected: every session issued before ${revocation.revokedBefore ?? 'the containment instant'}, ` +
        `the legitimate ones too, is denied every action and must assume the role again. Callers that assume it themselves recover on their next AssumeRole; ` +
        `services that hold a session for a workload (an EC2 instance through its instance profile, a Lambda function, an ECS task) get new credentials ` +
        `on their own schedule, and the workload may see AccessDenied until its credentials are refreshed.`,
    );
  } else if (status === 'failed') {
    steps.push(
      `THE SESSIONS OF ROLE ${ctx.roleName} ARE NOT REVOKED: revoke them by hand (IAM console: the role's "Revoke active sessions"), ` +
        `which puts inline policy ${REVOKE_OLDER_SESSIONS_POLICY_NAME}.`,
    );
  }
  if (denied?.status === 'done' || denied?.status === 'already-done') {
    steps.push(
      `Role ${ctx.roleName} denies every action to every session, new ones included (inline policy ${DENY_ALL_POLICY_NAME}), until restore: every workload that uses it is cut off until then.`,
    );
  }
  steps.push(findHow);
  return steps;
}

export async function revokeRoleSessions(input: RevokeRoleSessionsInput): Promise<RoleContainmentResult> {
  if (!input.roleName) throw new TypeError('revokeRoleSessions: roleName is required');
  if (!input.incidentId) throw new TypeError('revokeRoleSessions: incidentId is required');
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) {
    throw new TypeError('revokeRoleSessions: now must be a valid date');
  }
  const ctx: RoleContainContext = {
    iam: input.iam,
    roleName: input.roleName,
    incidentId: input.incidentId,
    dryRun: input.dryRun ?? false,
    now: input.now,
  };
  const target = roleTarget(ctx.roleName);

  // Round trip 1: every read at once.
  const role = settle(() => readRole(ctx.iam, ctx.roleName));
  const revocationPolicy = settle(() =>
    readRoleInlinePolicy(ctx.iam, ctx.roleName, REVOKE_OLDER_SESSIONS_POLICY_NAME),
  );
  const denyAllPolicy = input.denyAll
    ? settle(() => readRoleInlinePolicy(ctx.iam, ctx.roleName, DENY_ALL_POLICY_NAME))
    : undefined;
  const tags = settle(() => readRoleTags(ctx.iam, ctx.roleName));

  // Round trip 2: each write once the role and its own read are in.
  const [revocation, denied, tagged] = await Promise.all([
    revokeOlderSessions(ctx, { role, existing: revocationPolicy }, input.attackSeenAt).catch(
      (thrown: unknown): Revocation => ({
        outcome: {
          action: 'revoke-older-sessions',
          target,
          status: 'failed',
          detail: 'THE SESSIONS ARE NOT KNOWN TO BE REVOKED: the revocation stopped on an unexpected error',
          error: errorOf(thrown),
          before: UNKNOWN_POLICY_BEFORE,
        },
        revokedBefore: null,
      }),
    ),
    denyAllPolicy
      ? guarded(denyAllRole(ctx, { role, existing: denyAllPolicy }), (detail, error) => ({
          action: 'deny-all-role' as const,
          target,
          status: 'failed' as const,
          detail: `THE ROLE IS NOT KNOWN TO BE DENIED: the deny-all ${detail}`,
          error,
          before: UNKNOWN_POLICY_BEFORE,
        }))
      : undefined,
    guarded(tagRole(ctx, { role, tags }), (detail, error): TagRoleOutcome => ({
      action: 'tag-role',
      target,
      status: 'failed',
      detail: `the tag ${detail}`,
      error,
      before: null,
    })),
  ]);

  const before: RoleSnapshot = {
    role: await role,
    revokeOlderSessionsPolicy: await revocationPolicy,
    denyAllPolicy: denyAllPolicy ? await denyAllPolicy : null,
    tags: await tags,
  };
  const outcomes: RoleContainmentOutcome[] = [revocation.outcome, ...(denied ? [denied] : []), tagged];
  const revoked = revocation.outcome.status === 'done' || revocation.outcome.status === 'already-done';
  return {
    kind: ROLE_CONTAINMENT_RECORD_KIND,
    schemaVersion: 1,
    incidentId: ctx.incidentId,
    roleName: ctx.roleName,
    subject: `IAM role ${ctx.roleName}`,
    roleArn: before.role.ok ? before.role.value.arn : null,
    dryRun: ctx.dryRun,
    startedAt: ctx.now.toISOString(),
    effective: !ctx.dryRun && revoked,
    revokedBefore: revocation.revokedBefore,
    before,
    outcomes,
    failures: outcomes.filter((outcome) => outcome.status === 'failed').length,
    manualSteps: manualStepsOf(ctx, revocation, denied, !roleGone(before.role)),
  };
}
