/**
 * The pattern each detection's EventBridge rule is deployed with: the detection's own pattern, with
 * Cordon's own roles excluded, so that Cordon's changes (PutUserPolicy, UpdateAccessKey,
 * RevokeSecurityGroupIngress, ...) never trigger Cordon. Lambda's recursion detection does not see
 * EventBridge, so the rule itself must not deliver them.
 */
import type {
  Detection,
  DetectionContext,
  EventPattern,
  EventPatternValue,
} from '../lambda/detections/types';

function isPattern(value: EventPatternValue | undefined): value is EventPattern {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Both patterns at once (AND): objects merge key by key; the same leaf field or `$or` twice is an error. */
function mergePatterns(left: EventPattern, right: EventPattern, path = ''): EventPattern {
  const merged: Record<string, EventPatternValue> = { ...left };
  for (const [key, value] of Object.entries(right)) {
    const existing = merged[key];
    const at = path ? `${path}.${key}` : key;
    if (existing === undefined) {
      merged[key] = value;
    } else if (isPattern(existing) && isPattern(value)) {
      merged[key] = mergePatterns(existing, value, at);
    } else {
      throw new Error(`cannot combine two conditions on ${at}`);
    }
  }
  return merged;
}

/** What a deployed rule adds to a detection's own pattern. */
export interface RuleScope {
  /** The account the rule's stack runs in: events of any other account are not delivered. */
  readonly accountId?: string;
  /**
   * The ARNs of Cordon's own roles in this account (`arn:<partition>:iam::<account>:role/<name>`):
   * their sessions' events are not delivered. A role of the same name in another account is not
   * Cordon, so the match is on the full ARN, account included, not on the name alone.
   */
  readonly ownRoleArns: readonly string[];
}

/**
 * Matches events not made by a session of one of these roles: no session issuer at all (IAM users, root,
 * console sign-ins), or an issuer with another ARN. `anything-but` alone would not match the first kind,
 * since it never matches an absent field.
 */
export function ownRolesExcluded(ownRoleArns: readonly string[]): EventPattern {
  return {
    detail: {
      userIdentity: {
        sessionContext: {
          sessionIssuer: {
            $or: [{ arn: [{ exists: false }] }, { arn: [{ 'anything-but': [...ownRoleArns] }] }],
          },
        },
      },
    },
  };
}

/**
 * The detection's rule pattern, or null when the config leaves it nothing to match: the detection's own
 * pattern, for this account only, and for CloudTrail without Cordon's own sessions (matched on
 * detail.userIdentity.sessionContext.sessionIssuer.arn). GuardDuty findings are not made by Cordon.
 */
export function rulePattern(
  detection: Detection,
  context: DetectionContext,
  scope: RuleScope,
): EventPattern | null {
  const own = detection.pattern(context);
  if (own === null) return null;
  const pattern = scope.accountId === undefined ? own : mergePatterns(own, { account: [scope.accountId] });
  if (detection.source !== 'cloudtrail' || scope.ownRoleArns.length === 0) return pattern;
  return mergePatterns(pattern, ownRolesExcluded(scope.ownRoleArns));
}
