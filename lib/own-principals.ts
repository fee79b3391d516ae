/**
 * The names of Cordon's own IAM roles. Fixed names, so that every detection rule can exclude them
 * in its pattern and the planner can refuse to act on them: Cordon's own changes (PutUserPolicy,
 * UpdateAccessKey, ...) must never trigger Cordon. Pure data: the Lambda bundles this file.
 */
export function responderRoleName(homeRegion: string): string {
  return `cordon-responder-${homeRegion}`;
}

export function forwarderRoleName(region: string): string {
  return `cordon-forwarder-${region}`;
}

/** Every role Cordon's stacks create whose sessions make CloudTrail events. */
export function ownRoleNames(homeRegion: string): string[] {
  return [responderRoleName(homeRegion)];
}
