/**
 * The pattern each detection's EventBridge rule is deployed with: the detection's own pattern, with
 * Cordon's own roles excluded, so that Cordon's changes (PutUserPolicy, UpdateAccessKey,
 * RevokeSecurityGroupIngress, ...) never trigger Cordon. Lambda's recursion detection does not see
 * EventBridge, so the rule itself must not deliver them.
 */
import type { Detection, DetectionContext, EventPattern, EventPatternValue } from './types';

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

/**
 * Matches events not made by a session of one of these roles: no session issuer at all (IAM users, root,
 * console sign-ins), or an issuer by another name. `anything-but` alone would not match the first kind,
 * since it never matches an absent field.
 */
export function ownRolesExcluded(ownRoleNames: readonly string[]): EventPattern {
  return {
    detail: {
      userIdentity: {
        sessionContext: {
          sessionIssuer: {
            $or: [{ userName: [{ exists: false }] }, { userName: [{ 'anything-but': [...ownRoleNames] }] }],
          },
        },
      },
    },
  };
}

/**
 * The detection's rule pattern, or null when the config leaves it nothing to match. CloudTrail patterns
 * exclude Cordon's own roles (matched on detail.userIdentity.sessionContext.sessionIssuer.userName);
 * GuardDuty findings are not made by Cordon and are returned unchanged.
 */
export function rulePattern(
  detection: Detection,
  context: DetectionContext,
  ownRoleNames: readonly string[],
): EventPattern | null {
  const pattern = detection.pattern(context);
  if (pattern === null || detection.source !== 'cloudtrail' || ownRoleNames.length === 0) return pattern;
  return mergePatterns(pattern, ownRolesExcluded(ownRoleNames));
}
