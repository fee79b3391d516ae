import type { CordonConfig, Response } from '../config/schema';
import { effectiveResponse } from '../detections/config-overrides';
import type { Detection, DetectionSeverity } from '../detections/types';
import type { RevertibleChange } from '../actions/reverts/types';
import type { Signal } from '../signal/signal';
import { decideProtection, roleNameOf, type OwnDeployment } from './protected-principals';

/**
 * What the responder will do, one entry per containment, each run by its action family in
 * lambda/actions/registry.ts.
 */
export type PlannedAction =
  | {
      readonly kind: 'contain-iam-user';
      readonly userName: string;
      readonly reason: string;
    }
  | {
      /** Revoke every session of the role issued before containment (and deny-all on it, if configured). */
      readonly kind: 'revoke-role-sessions';
      readonly roleName: string;
      /** The role's ARN, path included, when known. */
      readonly roleArn?: string;
      readonly denyAll: boolean;
      readonly reason: string;
    }
  | {
      /** Isolation group, connections cut, snapshots, termination protection, tags; stopped if configured. */
      readonly kind: 'isolate-ec2-instance';
      readonly instanceId: string;
      readonly region: string;
      readonly stop: boolean;
      readonly reason: string;
    }
  | {
      /** Undo one change an event made (an ingress rule, a share, a stopped trail), with its reverter. */
      readonly kind: 'revert-change';
      readonly change: RevertibleChange;
      /** Instances the attacker launched are terminated instead of stopped (sweep.terminateInstances). */
      readonly terminateInstances: boolean;
      readonly reason: string;
    };

export type PlannedActionKind = PlannedAction['kind'];

/** The principal an action contains, as people name it. */
export function subjectOf(action: PlannedAction): string {
  switch (action.kind) {
    case 'contain-iam-user':
      return `IAM user ${action.userName}`;
    case 'revoke-role-sessions':
      return `the sessions of IAM role ${action.roleName}`;
    case 'isolate-ec2-instance':
      return `EC2 instance ${action.instanceId} (${action.region})`;
    case 'revert-change':
      return `${action.change.target} (${action.change.region}), changed by ${action.change.eventName}`;
  }
}

/** Why a signal that asked for containment is only reported. */
export type Holdback =
  | 'dry-run'
  | 'protected-principal'
  | 'protection-undecided'
  | 'other-account-principal'
  | 'circuit-breaker'
  | 'below-threshold'
  | 'sample-finding'
  | 'not-containable-by-api'
  /** Identity Center roles: only IAM Identity Center can change them. */
  | 'not-editable-role'
  /** The principal the signal names is gone (a deleted role, a terminated instance) or cannot be told. */
  | 'principal-unresolved'
  /** A revert was asked for, and the event holds no change a reverter can read. */
  | 'nothing-to-revert'
  | 'not-yet-automated';

export interface Plan {
  /** The strongest response the matched detections ask for. */
  readonly response: Response;
  readonly severity: DetectionSeverity;
  /** Whether the actions will change anything. */
  readonly enforce: boolean;
  readonly actions: readonly PlannedAction[];
  /** Set when containment was asked for but will not happen, with the reason in words. */
  readonly heldBack?: { readonly reason: Holdback; readonly message: string };
  /** What a human must still do. */
  readonly manualSteps: readonly string[];
  /** One line per decision taken, in order: the plan's reasoning, for the report. */
  readonly reasons: readonly string[];
}

/** What was looked up about the principal before planning (only when the event lacks it). */
export interface PrincipalFacts {
  /** The IAM user's real ARN, path included (iam:GetUser). */
  readonly userArn?: string;
  /** Why it could not be read. */
  readonly userLookupError?: string;
  /** The session's role's real ARN, path included (iam:GetRole), when the event names the role without it. */
  readonly roleArn?: string;
  /** Why it could not be read; `roleMissing` when IAM says the role does not exist. */
  readonly roleLookupError?: string;
  readonly roleMissing?: boolean;
  /** For an instance finding, when role sessions are to be revoked: the role of its instance profile (iam:GetInstanceProfile). */
  readonly instanceRole?: { readonly name: string; readonly arn: string };
  readonly instanceRoleLookupError?: string;
}

export interface PlanInput {
  readonly signal: Signal;
  readonly detections: readonly Detection[];
  readonly config: Pick<
    CordonConfig,
    | 'mode'
    | 'protectedPrincipals'
    | 'guardDutySeverityThreshold'
    | 'detections'
    | 'circuitBreaker'
    | 'roleContainment'
    | 'instanceIsolation'
    | 'reverts'
    | 'sweep'
  >;
  /**
   * The changes of the event that reverters undo (revertibleChangesOf on the CloudTrail record):
   * what a `revert` detection undoes.
   */
  readonly changes?: readonly RevertibleChange[];
  /** The account Cordon runs in and what it deployed there (its own roles are protected). */
  readonly own: OwnDeployment;
  /** Facts resolved about the principal, when the event alone cannot decide protection. */
  readonly facts?: PrincipalFacts;
  /** Containments recorded within the circuit breaker's window. */
  readonly recentContainments: number;
  /** `--dry-run` on the command line, on top of the config's mode. */
  readonly dryRun?: boolean;
}

const RESPONSE_STRENGTH: Record<Response, number> = { notify: 0, revert: 1, contain: 2 };
const SEVERITY_RANK: Record<DetectionSeverity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

const ROOT_STEPS = [
  'Sign in as root and change the root password; check the account e-mail address and contact details are yours.',
  'Enable or re-register MFA on the root user, and delete any root access keys.',
  'Contact AWS Support (Account and billing) to report the root compromise and review recent charges.',
  'Review CloudTrail for everything the root user did, in every region.',
];

/** The steps after Cordon contained the user. */
const CONTAINED_USER_STEPS = (userName: string, manual: boolean) => [
  manual
    ? `Find out why ${userName} was contained and record it in the incident.`
    : `Confirm with the owner of ${userName} whether the activity was theirs; do not reactivate anything until the investigation ends.`,
  `Issue new credentials to ${userName} only after the investigation (the deactivated keys are kept as evidence); reset its console password if it needs one. \`cordon restore <incident>\` undoes the containment once the credentials are known to be safe.`,
  'Rotate every other secret the user could read (Secrets Manager, SSM parameters, CI variables), and check AD/LDAP for password reuse.',
  'Review what the credentials did (CloudTrail, every region) and undo what was created: users, keys, instances, opened security groups.',
];

/** The steps when the user was NOT contained (dry run, circuit breaker): in the conditional. */
const UNCONTAINED_USER_STEPS = (userName: string) => [
  `Decide now whether the activity of ${userName} is malicious: ask its owner and read its CloudTrail activity.`,
  `If it is, contain it at once: \`cordon contain user ${userName}\` (deny-all first, keys deactivated, console password removed, policies and groups detached; every before-state recorded for \`cordon restore\`).`,
  `Once contained, its deactivated keys would be kept as evidence; new credentials would be issued only after the investigation.`,
  'If it is malicious, rotate every other secret the user could read (Secrets Manager, SSM parameters, CI variables), and check AD/LDAP for password reuse.',
];

const IDENTITY_CENTER_STEPS = (role: string, session: string | undefined) => [
  `In IAM Identity Center, find the user behind ${session ? `session ${session} of ` : ''}${role} and remove its permission set assignment to this account (or disable the user).`,
  `Revoke that user's active sessions in IAM Identity Center (Users, the user, Active sessions, Revoke): the portal session and the role credentials it issued.`,
  `If the credentials must stop before they expire, add to the permission set's inline policy a deny on * with DateLessThan aws:TokenIssueTime now, and re-provision it.`,
  "Reset the user's password and MFA in the identity source (Identity Center, Entra ID, Okta, ...).",
];

/** The steps after Cordon contained the principal. */
function containedSteps(action: PlannedAction, manual: boolean): readonly string[] {
  switch (action.kind) {
    case 'contain-iam-user':
      return CONTAINED_USER_STEPS(action.userName, manual);
    case 'revoke-role-sessions':
      // Who is affected and how the session was obtained: the role family's own steps say it,
      // with the instant in force (lambda/actions/iam-role/contain.ts).
      return [
        ...(action.denyAll
          ? [
              `Role ${action.roleName} is also denied everything (roleContainment.denyAll): no new session works either until \`cordon restore <incident>\`.`,
            ]
          : []),
        `\`cordon restore <incident>\` removes the revocation once the investigation ends.`,
      ];
    case 'isolate-ec2-instance':
      return [
        `Investigate ${action.instanceId} from its snapshots (tagged with the incident) in an isolated forensic account; capture its memory before stopping it, if needed.`,
        `Rebuild the workload from a known-good image rather than cleaning ${action.instanceId}; rotate every secret it could read (its role, environment, files).`,
        `\`cordon restore <incident>\` puts back its security groups, termination protection and tags (the snapshots are kept as evidence).`,
      ];
    case 'revert-change':
      return [];
  }
}

/** The steps when the principal was NOT contained (dry run, circuit breaker): in the conditional. */
function uncontainedSteps(action: PlannedAction): readonly string[] {
  switch (action.kind) {
    case 'contain-iam-user':
      return UNCONTAINED_USER_STEPS(action.userName);
    case 'revoke-role-sessions':
      return [
        `Decide now whether the activity of role ${action.roleName}'s session is malicious; if it is, revoke the role's older sessions at once: IAM console, the role, "Revoke active sessions" (every current user of the role would have to get new credentials).`,
      ];
    case 'isolate-ec2-instance':
      return [
        `Decide now whether ${action.instanceId} (${action.region}) is compromised; if it is, isolate it: a security group with no rules (after one that allows all traffic, so that tracked connections are cut too), snapshots of its volumes, termination protection on.`,
      ];
    case 'revert-change':
      return [
        `Decide whether ${action.change.eventName} (${action.change.eventId}) on ${action.change.target} (${action.change.region}) was legitimate; if not, undo it by hand or run the real responder (${action.reason}).`,
      ];
  }
}

function strongestResponse(detections: readonly Detection[], config: PlanInput['config']): Response {
  return detections
    .map((d) => effectiveResponse(d, config))
    .reduce<Response>((best, r) => (RESPONSE_STRENGTH[r] > RESPONSE_STRENGTH[best] ? r : best), 'notify');
}

function highestSeverity(detections: readonly Detection[]): DetectionSeverity {
  return detections.reduce<DetectionSeverity>(
    (best, d) => (SEVERITY_RANK[d.severity] > SEVERITY_RANK[best] ? d.severity : best),
    'low',
  );
}

/** The IAM user whose permissions the signal's credentials carry, if containing a user stops them. */
function iamUserBehind(signal: Signal): { userName: string; why: string } | undefined {
  const { principal } = signal;
  if (signal.source === 'manual' && principal.type === 'IAMUser' && principal.userName) {
    return { userName: principal.userName, why: 'requested by an operator' };
  }
  if (principal.type === 'IAMUser' && principal.userName) {
    return signal.credentialKind === 'temporary'
      ? {
          userName: principal.userName,
          why: 'a session from GetSessionToken carries the permissions of its IAM user',
        }
      : { userName: principal.userName, why: 'the credentials belong to this IAM user' };
  }
  if (principal.type === 'FederatedUser' && principal.userName) {
    return {
      userName: principal.userName,
      why: 'credentials from GetFederationToken keep working after the keys are off: only a deny on the issuing user stops them',
    };
  }
  return undefined;
}

/** What an operator asked to contain, in words. */
function manualSubject(signal: Signal): string {
  const { principal } = signal;
  if (principal.type === 'AssumedRole') return `IAM role ${principal.roleName ?? '?'}`;
  if (signal.instanceId) return `EC2 instance ${signal.instanceId} (${signal.region})`;
  return `IAM user ${principal.userName ?? '?'}`;
}

/** The account the principal belongs to, from its own ARN or the event's identity. */
function principalAccount(signal: Signal): string | undefined {
  const { principal } = signal;
  const fromArn = (arn: string | undefined) => arn?.split(':')[4] || undefined;
  return principal.accountId ?? fromArn(principal.arn) ?? fromArn(principal.issuerArn);
}

/**
 * Decides what to do about a signal. Pure: everything about *what* to do is here, testable
 * without AWS; the executor only does it. The signal is for the account Cordon runs in (the
 * responder rejects any other before planning).
 */
export function plan(input: PlanInput): Plan {
  const { signal, detections, config } = input;
  const manual = signal.source === 'manual';
  const revertAsked =
    !manual && detections.some((detection) => effectiveResponse(detection, config) === 'revert');
  if (!revertAsked) return planContainment(input);
  if (strongestResponse(detections, config) === 'revert') return planRevert(input);
  // A detection asks for containment and another for a revert: the change is undone beside the
  // containment, whenever the containment goes ahead (or is dry-run).
  const containment = planContainment(input);
  const held = containment.heldBack && containment.heldBack.reason !== 'dry-run';
  if (held || containment.actions.length === 0) return containment;
  const reverts = revertActions(input);
  if (reverts.length === 0) return containment;
  return {
    ...containment,
    actions: [...containment.actions, ...reverts],
    reasons: [
      ...containment.reasons,
      ...reverts.map(
        (action) =>
          `${containment.enforce ? 'revert' : 'would revert'} ${subjectOf(action)}: ${action.reason}`,
      ),
    ],
    manualSteps: [
      ...containment.manualSteps,
      ...(containment.enforce ? [] : reverts.flatMap(uncontainedSteps)),
    ],
  };
}

/** The planned reverts of the event's changes. */
function revertActions(input: PlanInput): PlannedAction[] {
  return (input.changes ?? []).map((change) => ({
    kind: 'revert-change',
    change,
    terminateInstances: input.config.sweep.terminateInstances,
    reason: `a revert detection matched ${change.eventName}: the change is undone exactly, and the record keeps what was there for \`cordon restore\``,
  }));
}

/**
 * A `revert` detection matched: undo exactly the change the event made, unless whoever made it is
 * protected (a break-glass admin, a pipeline: reported, not undone). The principal that made it is
 * contained too only with `reverts.containActor`; by default the report names it.
 */
function planRevert(input: PlanInput): Plan {
  const { signal, detections, config } = input;
  const reasons: string[] = [];
  const severity = highestSeverity(detections);
  reasons.push(
    `matched ${detections.map((d) => `${d.id} (${effectiveResponse(d, config)})`).join(', ')}: response revert`,
  );
  const dryRun = input.dryRun === true || config.mode === 'dry-run';
  const base = { response: 'revert' as const, severity, reasons };
  const rootSteps = signal.principal.type === 'Root' ? ROOT_STEPS : [];
  const report = (heldBack: NonNullable<Plan['heldBack']>, manualSteps: readonly string[]): Plan => {
    reasons.push(heldBack.message);
    return { ...base, enforce: false, actions: [], heldBack, manualSteps: [...manualSteps, ...rootSteps] };
  };
  const actor = signal.principal.arn ?? signal.principal.userName ?? signal.principal.type;
  if (signal.principal.type !== 'Root') {
    const protection = decideProtection({
      principal: signal.principal,
      configuredPatterns: config.protectedPrincipals,
      own: input.own,
      resolvedUserArn: input.facts?.userArn,
      resolvedRoleArn: input.facts?.roleArn,
    });
    if (protection.kind === 'protected') {
      return report(
        {
          reason: 'protected-principal',
          message: `the change was made by ${protection.arn}, which is protected (${protection.why}, pattern ${protection.pattern}): reported, NOT reverted`,
        },
        [
          `Confirm with the owner of ${protection.arn} that ${signal.eventName ?? 'the change'} was intended; if not, undo it by hand.`,
        ],
      );
    }
  }
  const reverts = revertActions(input);
  if (reverts.length === 0) {
    return report(
      {
        reason: 'nothing-to-revert',
        message: `no change Cordon can undo could be read from ${signal.eventName ?? 'the event'} (${signal.originId ?? signal.eventId}): nothing was changed; undo it by hand`,
      },
      [
        `Undo ${signal.eventName ?? 'the change'} (${signal.originId ?? signal.eventId}) by hand, and tell the Cordon team what the event looked like.`,
      ],
    );
  }
  const actorTargets: Targets | undefined =
    config.reverts.containActor && signal.principal.type !== 'Root' ? containmentTargets(input) : undefined;
  const actorActions = actorTargets && 'actions' in actorTargets ? actorTargets.actions : [];
  const actorSteps: string[] = [];
  if (!config.reverts.containActor && signal.principal.type !== 'Root') {
    reasons.push(
      `${actor}, which made the change, is NOT contained (reverts.containActor is off): the report names it`,
    );
    actorSteps.push(
      `Decide whether ${actor} is compromised (it made ${signal.eventName ?? 'the change'}); if it is, contain it: ${containCommandFor(signal)}.`,
    );
  } else if (actorTargets && 'heldBack' in actorTargets) {
    reasons.push(`${actor}, which made the change, is NOT contained: ${actorTargets.heldBack.message}`);
    actorSteps.push(...actorTargets.manualSteps);
  }
  const actions = [...reverts, ...actorActions];
  if (dryRun) {
    const message = `dry run: ${actions.map((a) => `${subjectOf(a)} would be ${a.kind === 'revert-change' ? 'reverted' : 'contained'}`).join('; ')}; nothing was changed`;
    reasons.push(message);
    return {
      ...base,
      enforce: false,
      actions,
      heldBack: { reason: 'dry-run', message },
      manualSteps: [...actions.flatMap(uncontainedSteps), ...actorSteps, ...rootSteps],
    };
  }
  for (const action of actions) {
    reasons.push(
      `${action.kind === 'revert-change' ? 'revert' : 'contain'} ${subjectOf(action)}: ${action.reason}`,
    );
  }
  return {
    ...base,
    enforce: true,
    actions,
    manualSteps: [
      ...actorActions.flatMap((action) => containedSteps(action, false)),
      ...actorSteps,
      'Check what the change exposed while it was in place (access logs, VPC flow logs, CloudTrail data events): a copy made before the revert is out of reach.',
      ...rootSteps,
    ],
  };
}

/** The command that contains the signal's principal, for the report. */
function containCommandFor(signal: Signal): string {
  const { principal } = signal;
  if (principal.type === 'AssumedRole' && roleNameOf(principal))
    return `\`cordon contain role ${roleNameOf(principal) ?? ''}\``;
  if (principal.userName) return `\`cordon contain user ${principal.userName}\``;
  return 'contain it by hand';
}

function planContainment(input: PlanInput): Plan {
  const { signal, detections, config } = input;
  const manual = signal.source === 'manual';
  const reasons: string[] = [];
  const response: Response = manual ? 'contain' : strongestResponse(detections, config);
  const severity: DetectionSeverity = manual ? 'high' : highestSeverity(detections);
  if (manual) {
    reasons.push(`manual containment of ${manualSubject(signal)} requested by an operator`);
  } else {
    reasons.push(
      detections.length
        ? `matched ${detections.map((d) => `${d.id} (${effectiveResponse(d, config)})`).join(', ')}: response ${response}`
        : 'matched no detection: report only',
    );
  }
  const dryRun = input.dryRun === true || config.mode === 'dry-run';
  const base = { response, severity, reasons };
  const report = (heldBack: Plan['heldBack'], manualSteps: readonly string[] = []): Plan => {
    if (heldBack) reasons.push(heldBack.message);
    return { ...base, enforce: false, actions: [], heldBack, manualSteps };
  };

  if (signal.principal.type === 'Root') {
    return report(
      response === 'contain'
        ? {
            reason: 'not-containable-by-api',
            message: 'no API can lock the root user out of a standalone account: the steps below are manual',
          }
        : undefined,
      ROOT_STEPS,
    );
  }
  if (response !== 'contain') return report(undefined);
  if (signal.sample) {
    return report({
      reason: 'sample-finding',
      message: 'GuardDuty sample finding: its values are placeholders, nothing is acted on',
    });
  }
  if (
    !manual &&
    signal.source === 'guardduty' &&
    (signal.severity ?? 0) < config.guardDutySeverityThreshold
  ) {
    return report({
      reason: 'below-threshold',
      message: `GuardDuty severity ${signal.severity ?? 'unknown'} is below the containment threshold ${config.guardDutySeverityThreshold}: nothing was changed`,
    });
  }
  const account = principalAccount(signal);
  if (account !== undefined && account !== input.own.accountId) {
    return report({
      reason: 'other-account-principal',
      message: `the principal belongs to account ${account}, not to ${input.own.accountId} where Cordon runs: it cannot be contained from here, nothing was changed; contain it in its own account`,
    });
  }
  if (signal.principal.type === 'AssumedRole' && input.facts?.roleMissing) {
    // A deleted role is protected by nothing and contained by nothing: say so, not "undecided".
    const gone = roleSessionTargets(input);
    if ('heldBack' in gone) return report(gone.heldBack, gone.manualSteps);
  }
  const protection = decideProtection({
    principal: signal.principal,
    configuredPatterns: config.protectedPrincipals,
    own: input.own,
    resolvedUserArn: input.facts?.userArn,
    resolvedRoleArn: input.facts?.roleArn,
  });
  if (protection.kind === 'protected') {
    return report(
      {
        reason: 'protected-principal',
        message: `${protection.arn} is protected (${protection.why}, pattern ${protection.pattern}): reported, NOT contained`,
      },
      protection.why === 'a service-linked role'
        ? [
            `${protection.arn} is a service-linked role: AWS owns its policies and no account can edit them. Find the resource of the service that uses it and what the attacker did through it (CloudTrail), and stop that resource instead.`,
          ]
        : [],
    );
  }
  if (protection.kind === 'undecided') {
    const lookupError = input.facts?.userLookupError ?? input.facts?.roleLookupError;
    const error = lookupError ? ` (${lookupError})` : '';
    const userName = signal.principal.userName;
    const roleName = signal.principal.type === 'AssumedRole' ? roleNameOf(signal.principal) : undefined;
    return report(
      {
        reason: 'protection-undecided',
        message: `held back, NOT contained: ${protection.why}${error}, so Cordon cannot tell whether it is protected`,
      },
      userName
        ? [
            `Check whether ${userName} is protected; if it is not, contain it: \`cordon contain user ${userName}\`.`,
          ]
        : roleName
          ? [
              `Check whether role ${roleName} is protected; if it is not, revoke its older sessions: IAM console, the role, "Revoke active sessions".`,
            ]
          : [],
    );
  }
  const targets = containmentTargets(input);
  if ('heldBack' in targets) return report(targets.heldBack, targets.manualSteps);
  const { actions, notes } = targets;
  reasons.push(...notes.map((note) => `${note.message}`));
  const subjects = actions.map(subjectOf).join(' and ');
  const { maxContainments, windowMinutes } = config.circuitBreaker;
  if (!manual && input.recentContainments >= maxContainments) {
    const message =
      `${subjects} ${actions.length > 1 ? 'are' : 'is'} NOT contained: the circuit breaker is open (${input.recentContainments} containments ` +
      `in the last ${windowMinutes} minutes, limit ${maxContainments}); nothing is enforced until the window passes`;
    reasons.push(message);
    return {
      ...base,
      // A principal the detections want contained is left free: that is always critical news.
      severity: 'critical',
      enforce: false,
      actions,
      heldBack: { reason: 'circuit-breaker', message },
      manualSteps: [
        ...actions.flatMap(uncontainedSteps),
        ...notes.flatMap((note) => note.manualSteps),
        `Find out why Cordon contained ${input.recentContainments} principals in ${windowMinutes} minutes: a misfiring detection trips the breaker. Raise circuitBreaker.maxContainments only if those incidents are real.`,
      ],
    };
  }
  if (dryRun) {
    const message = `dry run: ${actions.map((a) => `${subjectOf(a)} would be contained (${a.reason})`).join('; ')}; nothing was changed`;
    reasons.push(message);
    return {
      ...base,
      enforce: false,
      actions,
      heldBack: { reason: 'dry-run', message },
      manualSteps: [...actions.flatMap(uncontainedSteps), ...notes.flatMap((note) => note.manualSteps)],
    };
  }
  for (const action of actions) reasons.push(`contain ${subjectOf(action)}: ${action.reason}`);
  return {
    ...base,
    enforce: true,
    actions,
    manualSteps: [
      ...actions.flatMap((action) => containedSteps(action, manual)),
      ...notes.flatMap((note) => note.manualSteps),
    ],
  };
}

/** Something the plan could not do beside what it does, said in the report with what a human must do. */
interface PlanNote {
  readonly message: string;
  readonly manualSteps: readonly string[];
}

type Targets =
  | { readonly actions: readonly PlannedAction[]; readonly notes: readonly PlanNote[] }
  | { readonly heldBack: NonNullable<Plan['heldBack']>; readonly manualSteps: readonly string[] };

const INSTANCE_CREDENTIAL_EXFILTRATION = 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.';

/** Whether the signal is about stolen instance credentials: the instance is isolated too. */
function isInstanceCredentialExfiltration(signal: Signal): boolean {
  return (
    signal.source === 'guardduty' &&
    (signal.findingType?.startsWith(INSTANCE_CREDENTIAL_EXFILTRATION) ?? false)
  );
}

/** What containment means for the signal's principal (DESIGN.md's table), or why it cannot be done. */
function containmentTargets(input: PlanInput): Targets {
  const { signal } = input;
  const { principal } = signal;
  const user = iamUserBehind(signal);
  if (user) {
    return { actions: [{ kind: 'contain-iam-user', userName: user.userName, reason: user.why }], notes: [] };
  }
  if (principal.type === 'IdentityCenterUser') {
    const role = principal.roleName ?? roleNameOf(principal) ?? 'AWSReservedSSO_…';
    return {
      heldBack: {
        reason: 'not-editable-role',
        message: `${role} is an IAM Identity Center role: only Identity Center can change it, so its sessions are NOT revoked from here; nothing was changed`,
      },
      manualSteps: IDENTITY_CENTER_STEPS(role, principal.sessionName),
    };
  }
  if (principal.type === 'AssumedRole') return roleSessionTargets(input);
  if (
    (signal.source === 'guardduty' || signal.source === 'manual') &&
    signal.instanceId &&
    principal.type === 'Unknown'
  ) {
    return instanceFindingTargets(input, signal.instanceId);
  }
  return {
    heldBack: {
      reason: 'not-yet-automated',
      message: `containing a ${principal.type} principal is not automated yet: nothing was changed; contain it by hand`,
    },
    manualSteps: [],
  };
}

function roleSessionTargets(input: PlanInput): Targets {
  const { signal, config, facts } = input;
  const { principal } = signal;
  const roleName = roleNameOf(principal);
  if (!roleName) {
    return {
      heldBack: {
        reason: 'principal-unresolved',
        message: `the ${signal.source === 'guardduty' ? 'finding' : 'event'} names a role session (${principal.principalId ?? principal.arn ?? 'no id'}) but not its role: the role cannot be told, so nothing was changed`,
      },
      manualSteps: [
        `Find the role of session ${principal.principalId ?? principal.arn ?? '?'} (CloudTrail: the AssumeRole call that issued ${signal.accessKeyId ?? 'its key'}), then revoke its older sessions: IAM console, the role, "Revoke active sessions".`,
      ],
    };
  }
  if (facts?.roleMissing) {
    return {
      heldBack: {
        reason: 'principal-unresolved',
        message: `IAM role ${roleName} no longer exists (${facts.roleLookupError ?? 'NoSuchEntity'}): its sessions have no permissions left, and a role created again under that name is a new role they cannot use; nothing was changed`,
      },
      manualSteps: [
        `Find out who deleted ${roleName} and when (CloudTrail DeleteRole): if the attacker did, it covers its tracks; review what the sessions did before.`,
      ],
    };
  }
  const actions: PlannedAction[] = [
    {
      kind: 'revoke-role-sessions',
      roleName,
      ...((principal.roleArn ?? facts?.roleArn) ? { roleArn: principal.roleArn ?? facts?.roleArn } : {}),
      denyAll: config.roleContainment.denyAll,
      reason: `${signal.source === 'manual' ? 'requested by an operator' : `a session of the role is compromised (${signal.accessKeyId ?? principal.sessionName ?? 'session'})`}: every session issued before now is revoked, which affects every current user of the role`,
    },
  ];
  const notes: PlanNote[] = [];
  if (isInstanceCredentialExfiltration(signal)) {
    if (signal.instanceId) {
      actions.push({
        kind: 'isolate-ec2-instance',
        instanceId: signal.instanceId,
        region: signal.region,
        stop: config.instanceIsolation.stopInstance,
        reason: `its role's credentials were taken from it (${signal.findingType})`,
      });
    } else {
      notes.push({
        message: `the finding names no instance (no resource.instanceDetails, and session ${principal.sessionName ?? '?'} is not an instance id): no instance is isolated`,
        manualSteps: [
          `Find the instance that holds role ${roleName} (its instance profile) and isolate it: the attacker took its credentials from the metadata service, so the workload itself is compromised (SSRF, a shell).`,
        ],
      });
    }
  }
  return { actions, notes };
}

function instanceFindingTargets(input: PlanInput, instanceId: string): Targets {
  const { signal, config, facts } = input;
  const actions: PlannedAction[] = [
    {
      kind: 'isolate-ec2-instance',
      instanceId,
      region: signal.region,
      stop: config.instanceIsolation.stopInstance,
      reason:
        signal.source === 'manual'
          ? 'requested by an operator'
          : `GuardDuty ${signal.findingType ?? 'instance finding'}: the workload is compromised`,
    },
  ];
  const notes: PlanNote[] = [];
  if (config.instanceIsolation.revokeRoleSessions) {
    const role = facts?.instanceRole;
    const protection = role
      ? decideProtection({
          principal: { type: 'AssumedRole', roleName: role.name, roleArn: role.arn },
          configuredPatterns: config.protectedPrincipals,
          own: input.own,
        })
      : undefined;
    if (role && protection?.kind === 'not-protected') {
      actions.push({
        kind: 'revoke-role-sessions',
        roleName: role.name,
        roleArn: role.arn,
        denyAll: config.roleContainment.denyAll,
        reason: `instanceIsolation.revokeRoleSessions: the instance's role credentials may be in the attacker's hands; every session issued before now is revoked, which affects every current user of the role`,
      });
    } else if (role && protection?.kind === 'protected') {
      notes.push({
        message: `the instance's role ${role.arn} is protected (${protection.why}): its sessions are NOT revoked`,
        manualSteps: [],
      });
    } else if (signal.instanceProfileArn || facts?.instanceRoleLookupError) {
      notes.push({
        message: `the role of instance profile ${signal.instanceProfileArn ?? '?'} could not be read${facts?.instanceRoleLookupError ? ` (${facts.instanceRoleLookupError})` : ''}: its sessions are NOT revoked`,
        manualSteps: [
          `Revoke the older sessions of the role of instance profile ${signal.instanceProfileArn ?? '?'}: IAM console, the role, "Revoke active sessions".`,
        ],
      });
    } else {
      notes.push({
        message: 'the finding names no instance profile: no role sessions to revoke',
        manualSteps: [],
      });
    }
  }
  return { actions, notes };
}
