import type { CordonConfig, Response } from '../config/schema';
import { effectiveResponse } from '../detections/config-overrides';
import type { Detection, DetectionSeverity } from '../detections/types';
import type { Signal } from '../signal/signal';
import { decideProtection, type OwnDeployment } from './protected-principals';

/** What the responder will do to the principal. One kind per containment the executor knows. */
export type PlannedAction = {
  readonly kind: 'contain-iam-user';
  readonly userName: string;
  readonly reason: string;
};

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
}

export interface PlanInput {
  readonly signal: Signal;
  readonly detections: readonly Detection[];
  readonly config: Pick<
    CordonConfig,
    'mode' | 'protectedPrincipals' | 'guardDutySeverityThreshold' | 'detections' | 'circuitBreaker'
  >;
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
  const reasons: string[] = [];
  const response: Response = manual ? 'contain' : strongestResponse(detections, config);
  const severity: DetectionSeverity = manual ? 'high' : highestSeverity(detections);
  if (manual) {
    reasons.push(
      `manual containment of IAM user ${signal.principal.userName ?? '?'} requested by an operator`,
    );
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
  if (response !== 'contain') {
    return report(
      response === 'revert'
        ? {
            reason: 'not-yet-automated',
            message: 'reverting this change is not automated yet: nothing was changed; undo it by hand',
          }
        : undefined,
    );
  }
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
  const protection = decideProtection({
    principal: signal.principal,
    configuredPatterns: config.protectedPrincipals,
    own: input.own,
    resolvedUserArn: input.facts?.userArn,
  });
  if (protection.kind === 'protected') {
    return report({
      reason: 'protected-principal',
      message: `${protection.arn} is protected (${protection.why}, pattern ${protection.pattern}): reported, NOT contained`,
    });
  }
  if (protection.kind === 'undecided') {
    const error = input.facts?.userLookupError ? ` (${input.facts.userLookupError})` : '';
    const userName = signal.principal.userName;
    return report(
      {
        reason: 'protection-undecided',
        message: `held back, NOT contained: ${protection.why}${error}, so Cordon cannot tell whether it is protected`,
      },
      userName
        ? [
            `Check whether ${userName} is protected; if it is not, contain it: \`cordon contain user ${userName}\`.`,
          ]
        : [],
    );
  }
  const user = iamUserBehind(signal);
  if (!user) {
    return report({
      reason: 'not-yet-automated',
      message: `containing a ${signal.principal.type} principal is not automated yet: nothing was changed; contain it by hand`,
    });
  }
  const action: PlannedAction = { kind: 'contain-iam-user', userName: user.userName, reason: user.why };
  const { maxContainments, windowMinutes } = config.circuitBreaker;
  if (!manual && input.recentContainments >= maxContainments) {
    const message =
      `IAM user ${user.userName} is NOT contained: the circuit breaker is open (${input.recentContainments} containments ` +
      `in the last ${windowMinutes} minutes, limit ${maxContainments}); nothing is enforced until the window passes`;
    reasons.push(message);
    return {
      ...base,
      // A principal the detections want contained is left free: that is always critical news.
      severity: 'critical',
      enforce: false,
      actions: [action],
      heldBack: { reason: 'circuit-breaker', message },
      manualSteps: [
        ...UNCONTAINED_USER_STEPS(user.userName),
        `Find out why Cordon contained ${input.recentContainments} principals in ${windowMinutes} minutes: a misfiring detection trips the breaker. Raise circuitBreaker.maxContainments only if those incidents are real.`,
      ],
    };
  }
  if (dryRun) {
    const message = `dry run: IAM user ${user.userName} would be contained (${user.why}); nothing was changed`;
    reasons.push(message);
    return {
      ...base,
      enforce: false,
      actions: [action],
      heldBack: { reason: 'dry-run', message },
      manualSteps: UNCONTAINED_USER_STEPS(user.userName),
    };
  }
  reasons.push(`contain IAM user ${user.userName}: ${user.why}`);
  return {
    ...base,
    enforce: true,
    actions: [action],
    manualSteps: CONTAINED_USER_STEPS(user.userName, manual),
  };
}
