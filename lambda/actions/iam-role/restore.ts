/**
 * Undoes a role's containment from its record: each policy and tag that containment put is
 * brought back to its recorded before-state, each with its outcome. Two round trips, as in
 * containment: the current state first (GetRole, the policies containment put, the tags), then
 * every undo at once. The current state decides: what is no longer containment's (a later
 * revocation, by the console or another incident) is left as it is and said so, and a restore run
 * twice reports `already-done`. What containment found already done, it did not make: it is not
 * undone.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { DENY_ALL_POLICY_NAME } from '../iam-user/deny-policy';
import { errorOf, settle, type Read } from '../types';
import type { RoleRestoreContext } from './context';
import { liftDenyAllRole } from './deny-all';
import { readRoleInlinePolicy } from './inline-policy';
import {
  ROLE_CONTAINMENT_RECORD_KIND,
  ROLE_RESTORE_RESULT_KIND,
  roleOutcomesOf,
  type RoleContainmentResult,
  type RoleRestoreOutcome,
  type RoleRestoreResult,
} from './record';
import { REVOKE_OLDER_SESSIONS_POLICY_NAME, restoreOlderSessionsPolicy } from './revoke-sessions';
import { readRole } from './role';
import { readRoleTags, restoreRoleTags } from './tags';

export interface RestoreIamRoleInput {
  readonly iam: IAMClient;
  /** The record of the first containment of the incident (a later run's record has no true before-state). */
  readonly record: RoleContainmentResult;
  /** Read and plan; make no write call. Default false. */
  readonly dryRun?: boolean;
}

interface RestorePart {
  readonly outcomes: readonly RoleRestoreOutcome[];
  readonly manualSteps: readonly string[];
}

/** A step that threw instead of reporting (a bug) still says so; the others go on. */
async function guarded(
  action: RoleRestoreOutcome['action'],
  roleName: string,
  run: () => Promise<RestorePart | readonly RoleRestoreOutcome[]>,
): Promise<RestorePart> {
  try {
    const part = await run();
    return 'outcomes' in part ? part : { outcomes: part, manualSteps: [] };
  } catch (thrown) {
    return {
      outcomes: [],
      manualSteps: [
        `${action} on role/${roleName} stopped on an unexpected error (${errorOf(thrown).message}): check it by hand.`,
      ],
    };
  }
}

/** Only what containment put (or tried to: a refused write may still have taken) is undone. */
const attempted = (status: string) => status === 'done' || status === 'failed';

export async function restoreIamRole(input: RestoreIamRoleInput): Promise<RoleRestoreResult> {
  const { record } = input;
  if (record.kind !== ROLE_CONTAINMENT_RECORD_KIND || record.schemaVersion !== 1) {
    throw new TypeError(`restoreIamRole: not an IAM role containment record (kind ${String(record.kind)})`);
  }
  const ctx: RoleRestoreContext = {
    iam: input.iam,
    roleName: record.roleName,
    incidentId: record.incidentId,
    dryRun: input.dryRun ?? false,
  };
  const result = (parts: readonly RestorePart[]): RoleRestoreResult => {
    const outcomes = parts.flatMap((part) => part.outcomes);
    const manualSteps = parts.flatMap((part) => part.manualSteps);
    return {
      kind: ROLE_RESTORE_RESULT_KIND,
      incidentId: record.incidentId,
      roleName: record.roleName,
      subject: `IAM role ${record.roleName}`,
      dryRun: ctx.dryRun,
      complete: manualSteps.length === 0 && outcomes.every((outcome) => outcome.status !== 'failed'),
      outcomes,
      manualSteps,
    };
  };
  // A dry-run containment changed nothing: there is nothing to undo.
  if (record.dryRun) return result([]);

  const revocation = roleOutcomesOf(record.outcomes, 'revoke-older-sessions').find((o) =>
    attempted(o.status),
  );
  const denied = roleOutcomesOf(record.outcomes, 'deny-all-role').find((o) => attempted(o.status));
  const tagged = roleOutcomesOf(record.outcomes, 'tag-role').find((o) => attempted(o.status) && o.before);
  if (!revocation && !denied && !tagged) return result([]);

  // Round trip 1: the current state of what is to be undone.
  const policy = (name: string): Promise<Read<string | null>> =>
    settle(() => readRoleInlinePolicy(ctx.iam, ctx.roleName, name));
  const role = settle(() => readRole(ctx.iam, ctx.roleName));
  const currentRevocation = revocation ? policy(REVOKE_OLDER_SESSIONS_POLICY_NAME) : undefined;
  const currentDeny = denied ? policy(DENY_ALL_POLICY_NAME) : undefined;
  const currentTags = tagged ? settle(() => readRoleTags(ctx.iam, ctx.roleName)) : undefined;

  // Round trip 2: each undo once the role and its own read are in.
  const parts = await Promise.all([
    revocation && currentRevocation
      ? guarded('restore-older-sessions-policy', ctx.roleName, async () =>
          restoreOlderSessionsPolicy(ctx, revocation, record.startedAt, await role, await currentRevocation),
        )
      : undefined,
    denied && currentDeny
      ? guarded('lift-deny-all-role', ctx.roleName, async () =>
          liftDenyAllRole(ctx, denied, await role, await currentDeny),
        )
      : undefined,
    tagged && currentTags
      ? guarded('restore-role-tags', ctx.roleName, async () =>
          restoreRoleTags(ctx, tagged, await role, await currentTags),
        )
      : undefined,
  ]);
  return result(parts.filter((part): part is RestorePart => part !== undefined));
}
