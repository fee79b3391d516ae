/**
 * IAM statements from the action registry's declarations (lambda/actions/registry.ts): each
 * grant's actions on exactly the kinds of resource it declares, in this account, with its
 * AWSDenyAll condition. Principals and instances are named by the attack, not known at deploy
 * time, hence `user/*`, `role/*`, `instance/*` in this account (any region for EC2).
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RESPONDER_CONTAINMENT_GRANTS } from '../lambda/actions/registry';
import { containmentGrantsOf, type ContainmentGrant, type GrantResource } from '../lambda/actions/types';
import { PRINCIPAL_LOOKUPS } from '../lambda/principals/lookups';
import { SWEEP_READS } from '../lambda/sweep/permissions';
import {
  CDK_BOOTSTRAP_ROLE_KINDS,
  cdkBootstrapRoleName,
  ownRoleNames,
} from '../lambda/config/own-principals';

/** The responder's grants: every family of the registry, and the principal look-ups. */
export const RESPONDER_GRANTS: readonly ContainmentGrant[] = [
  ...RESPONDER_CONTAINMENT_GRANTS,
  ...containmentGrantsOf([PRINCIPAL_LOOKUPS]),
];

/** The sweeper's grants: every family of the registry (it reverts and contains), and its timeline reads. */
export const SWEEPER_GRANTS: readonly ContainmentGrant[] = [
  ...RESPONDER_CONTAINMENT_GRANTS,
  ...containmentGrantsOf([SWEEP_READS]),
];

/** The ARN pattern of a kind of resource, in the stack's account. */
export function grantResourceArn(stack: Stack, resource: GrantResource): string {
  switch (resource) {
    case '*':
      return '*';
    case 'user':
    case 'group':
    case 'role':
    case 'instance-profile':
      return stack.formatArn({ service: 'iam', region: '', resource, resourceName: '*' });
    case 'ec2:snapshot':
    case 'ec2:image':
      // Snapshot and image ARNs name no account: arn:aws:ec2:REGION::snapshot/snap-...
      return stack.formatArn({
        service: 'ec2',
        region: '*',
        account: '',
        resource: resource.slice('ec2:'.length),
        resourceName: '*',
      });
    case 's3:bucket':
      // Bucket ARNs name neither region nor account: arn:aws:s3:::bucket.
      return stack.formatArn({ service: 's3', region: '', account: '', resource: '*' });
    case 'lambda:function':
      return stack.formatArn({
        service: 'lambda',
        region: '*',
        resource: 'function',
        resourceName: '*',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    case 'rds:snapshot':
    case 'rds:cluster-snapshot':
      return stack.formatArn({
        service: 'rds',
        region: '*',
        resource: resource.slice('rds:'.length),
        resourceName: '*',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    case 'cloudtrail:trail':
      return stack.formatArn({
        service: 'cloudtrail',
        region: '*',
        resource: 'trail',
        resourceName: '*',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    case 'guardduty:detector':
      return stack.formatArn({
        service: 'guardduty',
        region: '*',
        resource: 'detector',
        resourceName: '*',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    default:
      return stack.formatArn({
        service: 'ec2',
        region: '*',
        resource: resource.slice('ec2:'.length),
        resourceName: '*',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
  }
}

/** One statement per grant. */
export function containmentStatements(
  stack: Stack,
  grants: readonly ContainmentGrant[],
): iam.PolicyStatement[] {
  const awsDenyAll = stack.formatArn({
    service: 'iam',
    region: '',
    account: 'aws',
    resource: 'policy',
    resourceName: 'AWSDenyAll',
  });
  return grants.map(
    (grant) =>
      new iam.PolicyStatement({
        actions: [...grant.actions],
        resources: [...new Set(grant.resources.map((resource) => grantResourceArn(stack, resource)))],
        ...(grant.awsDenyAllConditionKey
          ? { conditions: { ArnEquals: { [grant.awsDenyAllConditionKey]: awsDenyAll } } }
          : {}),
      }),
  );
}

/** The role-policy writes a containing role holds: an explicit deny keeps them off Cordon's and CDK's own roles. */
const ROLE_POLICY_WRITES = ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:TagRole', 'iam:UntagRole'];

/**
 * A containing role may write inline policies on roles (to revoke sessions): without this deny,
 * a misused responder could give itself any permission through its own role. The planner never
 * acts on these roles (they are protected); this makes IAM refuse it too.
 */
export function denyWritesOnOwnRoles(
  stack: Stack,
  homeRegion: string,
  forwarderRegions: readonly string[],
  cdkBootstrapQualifier: string,
): iam.PolicyStatement {
  const roleArn = (name: string) =>
    stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: name });
  return new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    actions: ROLE_POLICY_WRITES,
    resources: [
      ...ownRoleNames(homeRegion, forwarderRegions).map(roleArn),
      // The bootstrap roles of every region: cdk-<qualifier>-<kind>-role-<account>-*.
      ...CDK_BOOTSTRAP_ROLE_KINDS.map((kind) =>
        roleArn(cdkBootstrapRoleName(cdkBootstrapQualifier, kind, stack.account, '*')),
      ),
    ],
  });
}
