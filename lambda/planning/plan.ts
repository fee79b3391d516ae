import type { CordonConfig, Response } from '../../lib/config/schema';
import { effectiveResponse } from '../../lib/detections/config-overrides';
import type { Detection, DetectionSeverity } from '../../lib/detections/types';
import type { Signal } from '../signal/signal';
import { findProtection } from './protected-principals';

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

export interface PlanInput {
  readonly signal: Signal;
  readonly detections: readonly Detection[];
  readonly config: Pick<
    CordonConfig,
    'mode' | 'protectedPrincipals' | 'guardDutySeverityThreshold' | 'detections' | 'circuitBreaker'
  >;
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

const IAM_USER_STEPS = (userName: string) => [
  `Confirm with the owner of ${userName} whether the activity was theirs; do not reactivate anything until the investigation ends.`,
  `Issue new credentials to ${userName} only after the investigation (the deactivated keys are kept as evidence); reset its console password if it needs one.`,
  'Rotate every other secret the user could read (Secrets Manager, SSM parameters, CI variables), and check AD/LDAP for password reuse.',
  'Review what the credentials did (CloudTrail, every region) and undo what was created: users, keys, instances, opened security groups.',
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

/**
 * Decides what to do about a signal. Pure: everything about *what* to do is here, testable
 * without AWS; the executor only does it.
 */
export function plan(input: PlanInput): Plan {
  const { signal, detections, config } = input;
  const reasons: string[] = [];
  const response = strongestResponse(detections, config);
  const severity = highestSeverity(detections);
  reasons.push(
    detections.length
      ? `matched ${detections.map((d) => `${d.id} (${effectiveResponse(d, config)})`).join(', ')}: response ${response}`
      : 'matched no detection: report only',
  );
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
            message: 'reverting this change is not automated yet: undo it by hand',
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
  if (signal.source === 'guardduty' && (signal.severity ?? 0) < config.guardDutySeverityThreshold) {
    return report({
      reason: 'below-threshold',
      message: `GuardDuty severity ${signal.severity ?? 'unknown'} is below the containment threshold ${config.guardDutySeverityThreshold}`,
    });
  }
  const protection = findProtection(signal.principal, config.protectedPrincipals, signal);
  if (protection) {
    return report({
      reason: 'protected-principal',
      message: `${protection.arn} is protected (${protection.why}, pattern ${protection.pattern}): reported, not contained`,
    });
  }
  const user = iamUserBehind(signal);
  if (!user) {
    return report({
      reason: 'not-yet-automated',
      message: `containing a ${signal.principal.type} principal is not automated yet: contain it by hand`,
    });
  }
  const action: PlannedAction = { kind: 'contain-iam-user', userName: user.userName, reason: user.why };
  const manualSteps = IAM_USER_STEPS(user.userName);
  if (input.recentContainments >= config.circuitBreaker.maxContainments) {
    reasons.push(
      `circuit breaker open: ${input.recentContainments} containments in the last ${config.circuitBreaker.windowMinutes} minutes (limit ${config.circuitBreaker.maxContainments}); nothing is enforced until the window passes`,
    );
    return {
      ...base,
      enforce: false,
      actions: [action],
      heldBack: { reason: 'circuit-breaker', message: reasons.at(-1)! },
      manualSteps,
    };
  }
  if (dryRun) {
    reasons.push('dry-run: every action is planned and reported, nothing is changed');
    return {
      ...base,
      enforce: false,
      actions: [action],
      heldBack: { reason: 'dry-run', message: reasons.at(-1)! },
      manualSteps,
    };
  }
  reasons.push(`contain IAM user ${user.userName}: ${user.why}`);
  return { ...base, enforce: true, actions: [action], manualSteps };
}
