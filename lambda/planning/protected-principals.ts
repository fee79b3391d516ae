/**
 * Principals Cordon never acts on: its own roles (its changes must not contain itself), the CDK
 * bootstrap roles of the configured qualifier (deploys would break), service-linked roles (owned
 * by AWS services), and the configured `protectedPrincipals` patterns (break-glass admins).
 *
 * The built-in protections are exact: the very role names Cordon and `cdk bootstrap` create, in
 * this account, and the `/aws-service-role/` path. A look-alike an attacker creates
 * (`cordon-backdoor`, `cdk-anything`, `AWSServiceRoleForX` on another path) is not protected.
 *
 * Protection holds whatever the event reveals: a GuardDuty finding names a user without its
 * path, so a configured pattern such as `arn:aws:iam::123456789012:user/ops/*` can only be
 * decided on the user's real ARN. `needsUserArnLookup` says when that ARN must be read first;
 * without it, `decideProtection` answers `undecided` and the planner holds back.
 */
import { parse as parseArn, validate as isArn } from '@aws-sdk/util-arn-parser';
import { AWS_REGIONS } from '../config/regions';
import { CDK_BOOTSTRAP_ROLE_KINDS, cdkBootstrapRoleName, ownRoleNames } from '../config/own-principals';
import type { Principal } from '../signal/signal';

/** The account Cordon runs in, and what it deployed there. */
export interface OwnDeployment {
  readonly accountId: string;
  readonly homeRegion: string;
  /** Regions with a forwarder stack (and so a `cordon-forwarder-<region>` role). */
  readonly forwarderRegions: readonly string[];
  readonly cdkBootstrapQualifier: string;
}

export interface ProtectionInput {
  readonly principal: Principal;
  readonly configuredPatterns: readonly string[];
  readonly own: OwnDeployment;
  /** The IAM user's real ARN (path included), read with iam:GetUser when the event lacks it. */
  readonly resolvedUserArn?: string;
  /** The session's role's real ARN (path included), read with iam:GetRole when the event lacks it. */
  readonly resolvedRoleArn?: string;
}

export type ProtectionDecision =
  | { readonly kind: 'protected'; readonly arn: string; readonly pattern: string; readonly why: string }
  | { readonly kind: 'undecided'; readonly why: string }
  | { readonly kind: 'not-protected' };

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/** `role/path/NAME` → NAME and `/path/`; `assumed-role/NAME/session` → NAME (no path in that ARN). */
function roleOf(arn: string): { name: string; path?: string; accountId: string } | undefined {
  if (!isArn(arn)) return undefined;
  const { service, resource, accountId } = parseArn(arn);
  if (service === 'iam' && resource.startsWith('role/')) {
    const rest = resource.slice('role/'.length);
    const slash = rest.lastIndexOf('/');
    return { name: rest.slice(slash + 1), path: `/${rest.slice(0, slash + 1)}`, accountId };
  }
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    return { name: resource.split('/')[1] ?? '', accountId };
  }
  return undefined;
}

/** Exact names Cordon's stacks and CDK's bootstrap create, with the reason each is protected. */
function builtInRoleNames(own: OwnDeployment): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const name of ownRoleNames(own.homeRegion, own.forwarderRegions)) names.set(name, "Cordon's own role");
  // `cdk bootstrap` can be run in any region, whether Cordon covers it or not.
  for (const region of AWS_REGIONS) {
    for (const kind of CDK_BOOTSTRAP_ROLE_KINDS) {
      names.set(
        cdkBootstrapRoleName(own.cdkBootstrapQualifier, kind, own.accountId, region),
        `a CDK bootstrap role (qualifier ${own.cdkBootstrapQualifier})`,
      );
    }
  }
  return names;
}

const builtInCache = new WeakMap<OwnDeployment, ReadonlyMap<string, string>>();
function builtIns(own: OwnDeployment): ReadonlyMap<string, string> {
  let names = builtInCache.get(own);
  if (!names) {
    names = builtInRoleNames(own);
    builtInCache.set(own, names);
  }
  return names;
}

const SERVICE_ROLE_PATH = '/aws-service-role/';

function builtInProtection(arn: string, own: OwnDeployment): ProtectionDecision | undefined {
  const role = roleOf(arn);
  if (!role || role.accountId !== own.accountId) return undefined;
  if (role.path?.startsWith(SERVICE_ROLE_PATH)) {
    return { kind: 'protected', arn, pattern: `role${SERVICE_ROLE_PATH}*`, why: 'a service-linked role' };
  }
  const why = builtIns(own).get(role.name);
  // Cordon and CDK create their roles on the default path; the same name elsewhere is someone else's.
  if (why && (role.path === undefined || role.path === '/')) {
    return { kind: 'protected', arn, pattern: `role/${role.name}`, why };
  }
  return undefined;
}

/** The ARNs by which a principal can be named: its own, and for sessions the role or user behind it. */
function arnsOf(input: ProtectionInput): string[] {
  const { principal } = input;
  return [
    input.resolvedUserArn,
    input.resolvedRoleArn,
    principal.arn,
    principal.roleArn,
    principal.issuerArn,
  ].filter((arn): arn is string => Boolean(arn));
}

/** The resource part of an ARN pattern could name an IAM user (`user/...`, `u*`, `*`). */
function couldNameUser(pattern: string): boolean {
  const resource = pattern.split(':').slice(5).join(':');
  const literal = resource.split('*')[0] ?? '';
  return resource.startsWith('user/') || (resource.includes('*') && 'user/'.startsWith(literal));
}

/**
 * Whether protection can only be decided on the user's real ARN: the principal is an IAM user
 * named without an ARN (GuardDuty findings, manual containment), and a configured pattern could
 * name a user. Users are never built-in protected.
 */
export function needsUserArnLookup(principal: Principal, configuredPatterns: readonly string[]): boolean {
  return (
    principal.type === 'IAMUser' &&
    !principal.arn &&
    Boolean(principal.userName) &&
    configuredPatterns.some(couldNameUser)
  );
}

/**
 * Whether the session's role must be looked up (iam:GetRole) before it is acted on: the event names
 * the role without its ARN (GuardDuty gives only its name; a CloudTrail session ARN has no path),
 * so neither the built-in protections (decided on the path) nor configured patterns can be
 * decided, and a deleted role must be told apart before it is reported as contained.
 */
export function needsRoleArnLookup(principal: Principal): boolean {
  return principal.type === 'AssumedRole' && !principal.roleArn && roleNameOf(principal) !== undefined;
}

/** The role of a session: as the event names it, or from its assumed-role ARN. */
export function roleNameOf(principal: Principal): string | undefined {
  if (principal.roleName) return principal.roleName;
  const role = principal.arn ? roleOf(principal.arn) : undefined;
  return role?.name;
}

/** Whether Cordon may act on this principal, must not, or cannot tell from what it knows. */
export function decideProtection(input: ProtectionInput): ProtectionDecision {
  const arns = arnsOf(input);
  for (const arn of arns) {
    // A session's ARN has no path: with the role's own ARN known, the built-ins are decided on that.
    const sessionOfKnownRole =
      arn === input.principal.arn && (input.principal.roleArn ?? input.resolvedRoleArn) !== undefined;
    const builtIn = sessionOfKnownRole ? undefined : builtInProtection(arn, input.own);
    if (builtIn) return builtIn;
    for (const pattern of input.configuredPatterns) {
      if (globToRegExp(pattern).test(arn)) {
        return { kind: 'protected', arn, pattern, why: 'listed in protectedPrincipals' };
      }
    }
  }
  const { principal } = input;
  if (needsUserArnLookup(principal, input.configuredPatterns) && !input.resolvedUserArn) {
    return {
      kind: 'undecided',
      why: `the event names IAM user ${principal.userName} without its ARN (path), and protectedPrincipals has user patterns: its real ARN could not be read`,
    };
  }
  if (needsRoleArnLookup(principal) && !input.resolvedRoleArn) {
    return {
      kind: 'undecided',
      why: `the event names role ${roleNameOf(principal)} without its ARN (path), and the role could not be read`,
    };
  }
  // A session of a role named like a service-linked role whose path the event does not give.
  const sessionRole = principal.arn ? roleOf(principal.arn) : undefined;
  if (
    !principal.roleArn &&
    !input.resolvedRoleArn &&
    sessionRole?.path === undefined &&
    sessionRole?.name.startsWith('AWSServiceRoleFor')
  ) {
    return {
      kind: 'undecided',
      why: `${principal.arn} may be a session of a service-linked role, and the event does not give the role's path`,
    };
  }
  return { kind: 'not-protected' };
}
