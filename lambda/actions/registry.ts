/**
 * The action registry: one family per kind of planned containment (DESIGN.md's principal table),
 * each with the action modules it runs (whose declarations become the responder's grants), how it
 * contains and how it undoes itself. The execute stage (lambda/responder/execute.ts) and the
 * restore stage (lambda/responder/restore-incident.ts) run every family through this registry, so
 * a new kind of containment is one family here and its modules beside it.
 */
import type { PlannedAction, PlannedActionKind } from '../planning/plan';
import {
  EC2_INSTANCE_ACTION_MODULES,
  isolateInstance,
  restoreInstance,
  type InstanceContainmentResult,
  type InstanceRestoreResult,
} from './ec2-instance';
import {
  IAM_ROLE_ACTION_MODULES,
  ROLE_CONTAINMENT_RECORD_KIND,
  restoreIamRole,
  revokeRoleSessions,
  type RoleContainmentResult,
  type RoleRestoreResult,
} from './iam-role';
import {
  CONTAINMENT_RECORD_KIND,
  containIamUser,
  IAM_USER_ACTION_MODULES,
  restoreIamUser,
  type ContainmentResult,
  type RestoreResult,
} from './iam-user';
import {
  REVERT_ACTION_MODULES,
  REVERT_RECORD_KIND,
  restoreRevert,
  revertChange,
  type ChangeRestoreResult,
  type ChangeRevertResult,
} from './reverts/family';
import type { RevertClients } from './reverts/types';
import { containmentGrantsOf, type ActionModule, type ContainmentGrant } from './types';

/** The clients the actions call: IAM (global), and every regional service in the region of its target. */
export type ActionClients = RevertClients;

export interface ExecuteContext {
  readonly clients: ActionClients;
  readonly incidentId: string;
  /** Read and plan; make no write call. */
  readonly dryRun: boolean;
  /** The containment instant: sessions issued before it are revoked; the tags carry it. */
  readonly now: Date;
  /** When the attacker was seen (the signal's time): a revocation already in force after it is "already done". */
  readonly attackSeenAt?: string;
  /** The account Cordon runs in: a revert never touches another account's resource. */
  readonly accountId: string;
}

export interface RestoreContext {
  readonly clients: ActionClients;
  readonly dryRun: boolean;
  readonly accountId: string;
}

/** Any containment record, told apart by `kind`. */
export type AnyContainment =
  ContainmentResult | RoleContainmentResult | InstanceContainmentResult | ChangeRevertResult;
/** Any restore result, told apart by `kind`. */
export type AnyRestore = RestoreResult | RoleRestoreResult | InstanceRestoreResult | ChangeRestoreResult;

/** What a family applies to, in DESIGN.md's words. */
export type ContainedPrincipal = 'iam-user' | 'iam-role' | 'ec2-instance' | 'change';

interface ActionFamily<K extends PlannedActionKind, R extends AnyContainment> {
  readonly appliesTo: ContainedPrincipal;
  /** The record kind it writes (`AnyContainment['kind']`). */
  readonly recordKind: R['kind'];
  /** Its modules, in the order it runs them: their declarations are its grants. */
  readonly modules: readonly ActionModule[];
  contain(action: Extract<PlannedAction, { kind: K }>, context: ExecuteContext): Promise<R>;
  restore(record: R, context: RestoreContext): Promise<AnyRestore>;
}

const iamUser: ActionFamily<'contain-iam-user', ContainmentResult> = {
  appliesTo: 'iam-user',
  recordKind: CONTAINMENT_RECORD_KIND,
  modules: IAM_USER_ACTION_MODULES,
  contain: (action, { clients, incidentId, dryRun, now }) =>
    containIamUser({ iam: clients.iam, userName: action.userName, incidentId, dryRun, now }),
  restore: (record, { clients, dryRun }) => restoreIamUser({ iam: clients.iam, record, dryRun }),
};

const iamRole: ActionFamily<'revoke-role-sessions', RoleContainmentResult> = {
  appliesTo: 'iam-role',
  recordKind: ROLE_CONTAINMENT_RECORD_KIND,
  modules: IAM_ROLE_ACTION_MODULES,
  contain: (action, { clients, incidentId, dryRun, now, attackSeenAt }) =>
    revokeRoleSessions({
      iam: clients.iam,
      roleName: action.roleName,
      incidentId,
      dryRun,
      now,
      attackSeenAt,
      denyAll: action.denyAll,
    }),
  restore: (record, { clients, dryRun }) => restoreIamRole({ iam: clients.iam, record, dryRun }),
};

const ec2Instance: ActionFamily<'isolate-ec2-instance', InstanceContainmentResult> = {
  appliesTo: 'ec2-instance',
  recordKind: 'cordon/ec2-instance-containment',
  modules: EC2_INSTANCE_ACTION_MODULES,
  contain: (action, { clients, incidentId, dryRun, now }) =>
    isolateInstance({
      ec2: clients.ec2(action.region),
      instanceId: action.instanceId,
      region: action.region,
      incidentId,
      dryRun,
      now,
      stop: action.stop,
    }),
  restore: (record, { clients, dryRun }) =>
    restoreInstance({ ec2: clients.ec2(record.region), record, dryRun }),
};

const changeRevert: ActionFamily<'revert-change', ChangeRevertResult> = {
  appliesTo: 'change',
  recordKind: REVERT_RECORD_KIND,
  modules: REVERT_ACTION_MODULES,
  contain: (action, { clients, incidentId, dryRun, now, accountId }) =>
    revertChange(action.change, {
      clients,
      accountId,
      incidentId,
      dryRun,
      now,
      options: { terminateInstances: action.terminateInstances },
    }),
  restore: (record, { clients, dryRun, accountId }) => restoreRevert(record, { clients, dryRun, accountId }),
};

/** Every family, by the planned action it runs. */
export const ACTION_REGISTRY = {
  'contain-iam-user': iamUser,
  'revoke-role-sessions': iamRole,
  'isolate-ec2-instance': ec2Instance,
  'revert-change': changeRevert,
} as const satisfies { readonly [K in PlannedActionKind]: ActionFamily<K, AnyContainment> };

/** Runs one planned action with its family. */
export function runPlannedAction(action: PlannedAction, context: ExecuteContext): Promise<AnyContainment> {
  switch (action.kind) {
    case 'contain-iam-user':
      return ACTION_REGISTRY[action.kind].contain(action, context);
    case 'revoke-role-sessions':
      return ACTION_REGISTRY[action.kind].contain(action, context);
    case 'isolate-ec2-instance':
      return ACTION_REGISTRY[action.kind].contain(action, context);
    case 'revert-change':
      return ACTION_REGISTRY[action.kind].contain(action, context);
  }
}

/** Undoes one containment with the family that made it (for an IAM user, without the hand-over logic of restore-incident.ts). */
export function restoreWithFamily(record: AnyContainment, context: RestoreContext): Promise<AnyRestore> {
  switch (record.kind) {
    case CONTAINMENT_RECORD_KIND:
      return iamUser.restore(record, context);
    case ROLE_CONTAINMENT_RECORD_KIND:
      return iamRole.restore(record, context);
    case 'cordon/ec2-instance-containment':
      return ec2Instance.restore(record, context);
    case REVERT_RECORD_KIND:
      return changeRevert.restore(record, context);
  }
}

/** Whether the record is an IAM user's containment. */
export function isIamUserContainment(record: AnyContainment): record is ContainmentResult {
  return record.kind === CONTAINMENT_RECORD_KIND;
}

/** Every module of every family: what the responder runs. */
export const REGISTERED_ACTION_MODULES: readonly ActionModule[] = Object.freeze(
  Object.values(ACTION_REGISTRY).flatMap((family) => family.modules),
);

/** The responder's statements: the union of every family's declarations (actions, resources, conditions). */
export const RESPONDER_CONTAINMENT_GRANTS: readonly ContainmentGrant[] =
  containmentGrantsOf(REGISTERED_ACTION_MODULES);
