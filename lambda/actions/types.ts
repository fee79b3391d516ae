/**
 * Types shared by every containment action, whatever the principal.
 *
 * An action is a small module that declares the IAM actions it needs, reads its before-state,
 * applies one change per target, reports one outcome per target, and knows how to undo itself
 * from the before-state it recorded. Everything here is plain JSON data: a record survives a
 * round trip through S3 or DynamoDB and can be handed back to restore.
 */

/**
 * - `done`: this run made the change.
 * - `already-done`: the target was already in the wanted state; nothing was changed.
 * - `failed`: the change (or the read it needs) was refused; `error` says why.
 * - `planned`: dry run; `detail` says what a real run would do. Nothing was changed.
 */
export type ActionStatus = 'done' | 'already-done' | 'failed' | 'planned';

/** An AWS error as the SDK names it (`ThrottlingException`, `LimitExceededException`, ...). */
export interface ActionError {
  readonly name: string;
  readonly message: string;
}

/** What one action did to one target. */
export interface ActionOutcome<A extends string = string, B = unknown> {
  /** The action, named for what it does to the principal: `deactivate-access-key`, `deny-all`, ... */
  readonly action: A;
  /** What it acted on: `user/alice`, `access-key/AKIA...`, `managed-policy/arn:...`. */
  readonly target: string;
  readonly status: ActionStatus;
  /** One readable sentence for the report. */
  readonly detail: string;
  readonly error?: ActionError;
  /** The target's state before the action: what an undo brings back. Null when it could not be read. */
  readonly before: B;
}

/**
 * What every principal's containment record has in common, whatever it contained (an IAM user, a
 * role's sessions, an EC2 instance): the execute stage, the incident's outcome and the report read
 * only this. Each kind adds its own before-state.
 */
export interface ContainmentRecordBase<K extends string = string, O extends ActionOutcome = ActionOutcome> {
  /** `cordon/iam-user-containment`, `cordon/iam-role-containment`, `cordon/ec2-instance-containment`. */
  readonly kind: K;
  readonly schemaVersion: 1;
  readonly incidentId: string;
  readonly dryRun: boolean;
  /** The containment instant. */
  readonly startedAt: string;
  /** What was contained, as the report names it: `IAM user alice`, `IAM role web-app`, `EC2 instance i-0abc (us-east-1)`. */
  readonly subject: string;
  /**
   * Whether the principal is cut off: the user denied, the role's older sessions revoked, the
   * instance isolated. False (on a real run) is the loud case: the report says it is NOT contained.
   */
  readonly effective: boolean;
  /** One per target. */
  readonly outcomes: readonly O[];
  /** How many outcomes failed. */
  readonly failures: number;
  /** What a human must still do about this containment (beyond the plan's steps). */
  readonly manualSteps?: readonly string[];
}

/** What every restore result has in common. */
export interface RestoreRecordBase<K extends string = string, O extends ActionOutcome = ActionOutcome> {
  readonly kind: K;
  readonly incidentId: string;
  readonly dryRun: boolean;
  /** As in the containment record. */
  readonly subject: string;
  /** True when every outcome is done or already-done, and no manual step is left. */
  readonly complete: boolean;
  readonly outcomes: readonly O[];
  /** What a human must do, since no API can. */
  readonly manualSteps: readonly string[];
}

/** A read that may have failed: kept as data so that one failed read never stops the others. */
export type Read<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ActionError };

/**
 * The kinds of resource a containment or revert call acts on, in the account Cordon runs in (any
 * region for regional services): IAM users, groups, roles and instance profiles; EC2 instances,
 * security groups (and their rules), network interfaces, volumes, snapshots, images, VPCs and spot
 * requests; S3 buckets; Lambda functions; RDS DB and cluster snapshots; CloudTrail trails; GuardDuty
 * detectors. `*` only for the calls IAM allows on no narrower resource: ACCOUNT_WIDE_ACTIONS.
 */
export type GrantResource =
  | 'user'
  | 'group'
  | 'role'
  | 'instance-profile'
  | 'ec2:instance'
  | 'ec2:security-group'
  | 'ec2:security-group-rule'
  | 'ec2:network-interface'
  | 'ec2:volume'
  | 'ec2:snapshot'
  | 'ec2:image'
  | 'ec2:vpc'
  | 'ec2:spot-instances-request'
  | 'ec2:spot-fleet-request'
  | 'ec2:fleet'
  | 's3:bucket'
  | 'lambda:function'
  | 'rds:snapshot'
  | 'rds:cluster-snapshot'
  | 'cloudtrail:trail'
  | 'guardduty:detector'
  | '*';

/**
 * The calls IAM authorizes on no resource narrower than `*` (the Service Authorization Reference
 * lists no resource type for them): EC2's Describe* and account-level settings, S3's account
 * Block Public Access, GuardDuty's detector list, CloudTrail's event history. Only these may be
 * declared on `*` (test/lambda/actions/registry.test.ts).
 */
export const ACCOUNT_WIDE_ACTIONS: readonly RegExp[] = [
  /^ec2:Describe/,
  /^ec2:(Get|Enable|Disable)(Snapshot|Image)BlockPublicAccess(State)?$/,
  /^ec2:GetSnapshotBlockPublicAccessState$/,
  /^ec2:GetImageBlockPublicAccessState$/,
  /^ec2:DescribeRegions$/,
  /^s3:(Get|Put)AccountPublicAccessBlock$/,
  /^guardduty:(ListDetectors|CreateDetector)$/,
  /^cloudtrail:LookupEvents$/,
  /^lambda:ListFunctions$/,
  /^iam:ListUsers$/,
];

/** Whether IAM authorizes the call on `*` only (ACCOUNT_WIDE_ACTIONS). */
export function isAccountWideAction(action: string): boolean {
  return ACCOUNT_WIDE_ACTIONS.some((pattern) => pattern.test(action));
}

/** The declaration every action module exports, from which the stack builds least-privilege policies. */
export interface ActionModule {
  /** The action's name in outcomes. */
  readonly action: string;
  /** IAM actions needed to read the before-state and contain. */
  readonly permissions: readonly string[];
  /** IAM actions needed to read the current state and undo. */
  readonly restorePermissions: readonly string[];
  /** What its containment calls act on (default: the user only). */
  readonly resources?: readonly GrantResource[];
  /**
   * Containment calls allowed only with the managed `AWSDenyAll`, by the condition key that names
   * the policy (`iam:PolicyARN`, `iam:PermissionsBoundary`): a misused role can deny, never grant.
   */
  readonly onlyWithAwsDenyAll?: Readonly<Record<string, string>>;
}

/** One statement of a containing role's policy, derived from the modules' declarations. */
export interface ContainmentGrant {
  readonly actions: readonly string[];
  readonly resources: readonly GrantResource[];
  /** The condition key that must name AWSDenyAll, when the actions are limited to it. */
  readonly awsDenyAllConditionKey?: string;
}

/**
 * The containment grants of these modules: one statement per set of resources (and per
 * restricted action), each action once, sorted; an action two modules declare on different
 * resources gets the union of them.
 */
export function containmentGrantsOf(modules: readonly ActionModule[]): readonly ContainmentGrant[] {
  const restricted = new Map<string, string>();
  const resourcesOf = new Map<string, Set<GrantResource>>();
  for (const module of modules) {
    for (const [action, key] of Object.entries(module.onlyWithAwsDenyAll ?? {})) restricted.set(action, key);
    for (const action of module.permissions) {
      // A module's reads and writes share its declaration: an account-wide call gets `*` alone,
      // every other call the module's own resource kinds, never `*`.
      const wide = isAccountWideAction(action);
      const resources = (module.resources ?? ['user']).filter((resource) => (resource === '*') === wide);
      if (resources.length === 0) {
        throw new Error(
          `action module ${module.action} declares ${action} but no resource it can be granted on (${wide ? 'an account-wide call needs "*"' : 'a call that is not account-wide needs a resource kind other than "*"'})`,
        );
      }
      const set = resourcesOf.get(action) ?? new Set<GrantResource>();
      for (const resource of resources) set.add(resource);
      resourcesOf.set(action, set);
    }
  }
  const grants = new Map<string, { actions: string[]; resources: GrantResource[]; key?: string }>();
  for (const [action, set] of [...resourcesOf].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const resources = [...set].sort();
    const key = restricted.get(action);
    const id = `${resources.join(',')}|${key ?? ''}|${key ? action : ''}`;
    const grant = grants.get(id) ?? { actions: [], resources, key };
    grant.actions.push(action);
    grants.set(id, grant);
  }
  return [...grants.values()].map(({ actions, resources, key }) => ({
    actions,
    resources,
    ...(key ? { awsDenyAllConditionKey: key } : {}),
  }));
}

/** The union of the modules' declarations, sorted, each once. */
export function permissionsOf(
  modules: readonly ActionModule[],
  which: 'permissions' | 'restorePermissions',
): readonly string[] {
  return Object.freeze([...new Set(modules.flatMap((module) => module[which]))].sort());
}

/**
 * The AWS API call an SDK error came from, which the SDK does not say: createAwsClients's middleware
 * (lambda/responder/clients.ts) attaches it to every error a call throws, as a non-enumerable property.
 */
export interface AwsOperation {
  /** `IAM`, `S3`, ... (the client's name without `Client`). */
  readonly service: string;
  /** `ListServiceSpecificCredentials`, ... (the command's name without `Command`). */
  readonly operation: string;
}
export const AWS_OPERATION_PROPERTY = '$cordonOperation';

/** The name of an answer that did not come from an AWS API (an HTML error page, an unimplemented call). */
export const NOT_AN_AWS_RESPONSE = 'NotAnAwsResponse';
const BODY_EXCERPT_MAX = 120;

/** Text of an HTML (or any) body for one line of a report: tags stripped, spaces collapsed, at most 120 characters. */
function bodyExcerpt(body: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  const text = body
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, name: string) => entities[name] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length <= BODY_EXCERPT_MAX ? text : `${text.slice(0, BODY_EXCERPT_MAX - 1)}…`;
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return undefined;
}

function awsOperationOf(thrown: object): AwsOperation | undefined {
  const operation: unknown = (thrown as Record<string, unknown>)[AWS_OPERATION_PROPERTY];
  if (typeof operation !== 'object' || operation === null) return undefined;
  const { service, operation: name } = operation as Record<string, unknown>;
  return typeof service === 'string' && typeof name === 'string' ? { service, operation: name } : undefined;
}

/**
 * An SDK error for an answer the SDK could not read as the API's (an emulator's HTML error page, a
 * proxy's login page): the SDK attaches the HTTP response (`$response`) but, unlike for an AWS error,
 * no `$fault`, and its message is only "Deserialization error: ... inspect the hidden field".
 */
function notAnAwsResponse(thrown: object): ActionError | undefined {
  const fields = thrown as Record<string, unknown>;
  if (fields.$fault !== undefined) return undefined;
  const response = fields.$response;
  if (typeof response !== 'object' || response === null) return undefined;
  const { statusCode, body } = response as Record<string, unknown>;
  if (typeof statusCode !== 'number') return undefined;
  const operation = awsOperationOf(thrown);
  const call = operation ? `${operation.service} ${operation.operation}` : 'An AWS API call';
  const text = bodyText(body) ?? bodyText(fields.$responseBodyText);
  const excerpt = text === undefined ? '' : bodyExcerpt(text);
  const original = typeof fields.message === 'string' ? fields.message.split('\n')[0].trim() : '';
  const detail = excerpt || (original ? `(${original})` : '(empty body)');
  return {
    name: NOT_AN_AWS_RESPONSE,
    message: `${call} answered HTTP ${statusCode}, not an AWS API response: ${detail}`,
  };
}

/**
 * Any thrown value as an ActionError (AWS SDK errors carry their service error name). An answer
 * that is not an AWS API's is a `NotAnAwsResponse` naming the call, the HTTP status and the body.
 */
export function errorOf(thrown: unknown): ActionError {
  if (typeof thrown === 'object' && thrown !== null) {
    const foreign = notAnAwsResponse(thrown);
    if (foreign) return foreign;
  }
  if (thrown instanceof Error) return { name: thrown.name, message: thrown.message };
  if (typeof thrown === 'object' && thrown !== null) {
    const { name, message } = thrown as { name?: unknown; message?: unknown };
    return {
      name: typeof name === 'string' ? name : 'Error',
      message: typeof message === 'string' ? message : JSON.stringify(thrown),
    };
  }
  return { name: 'Error', message: String(thrown) };
}

/** Runs a read and keeps its failure as data. */
export async function settle<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (thrown) {
    return { ok: false, error: errorOf(thrown) };
  }
}

/** Runs a write; resolves to undefined on success or to the error, never rejects. */
export async function attempt(write: () => Promise<unknown>): Promise<ActionError | undefined> {
  try {
    await write();
    return undefined;
  } catch (thrown) {
    return errorOf(thrown);
  }
}
