/**
 * The names of the IAM roles Cordon's own stacks create, and of the CDK bootstrap roles its deploys
 * use. Fixed, exact names, so that every detection rule can exclude Cordon's own sessions in its
 * pattern and the planner can refuse to act on them, while a look-alike an attacker creates
 * (`cordon-backdoor`, `cdk-anything`) is never protected. Pure data: the Lambda bundles this file.
 */

export function responderRoleName(homeRegion: string): string {
  return `cordon-responder-${homeRegion}`;
}

export function verifierRoleName(homeRegion: string): string {
  return `cordon-verifier-${homeRegion}`;
}

export function sweeperRoleName(homeRegion: string): string {
  return `cordon-sweeper-${homeRegion}`;
}

export function forwarderRoleName(region: string): string {
  return `cordon-forwarder-${region}`;
}

/**
 * Every role Cordon's stacks create: the responder, the verifier and the sweeper in the home region, and a
 * forwarder in each forwarder region. Each is created with the default path `/`.
 */
export function ownRoleNames(homeRegion: string, forwarderRegions: readonly string[] = []): string[] {
  return [...actingRoleNames(homeRegion), ...forwarderRegions.map(forwarderRoleName)];
}

/** The roles whose sessions make the CloudTrail events of Cordon's own changes (rules exclude them). */
export function actingRoleNames(homeRegion: string): string[] {
  return [responderRoleName(homeRegion), verifierRoleName(homeRegion), sweeperRoleName(homeRegion)];
}

/** The roles `cdk bootstrap` creates in each region, named `cdk-<qualifier>-<kind>-role-<account>-<region>`. */
export const CDK_BOOTSTRAP_ROLE_KINDS = [
  'deploy',
  'file-publishing',
  'image-publishing',
  'lookup',
  'cfn-exec',
] as const;

/** CDK's default bootstrap qualifier (`cdk bootstrap --qualifier` changes it). */
export const DEFAULT_CDK_BOOTSTRAP_QUALIFIER = 'hnb659fds';

export function cdkBootstrapRoleName(
  qualifier: string,
  kind: (typeof CDK_BOOTSTRAP_ROLE_KINDS)[number],
  accountId: string,
  region: string,
): string {
  return `cdk-${qualifier}-${kind}-role-${accountId}-${region}`;
}

/** The IAM role ARN of a role with the default path. */
export function roleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
