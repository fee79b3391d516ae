import type { Principal } from '../signal/signal';

/**
 * Principals Cordon never acts on, beside the configured patterns: its own roles (its changes must
 * not contain itself), the CDK bootstrap roles (deploys would break), and service-linked roles
 * (owned by AWS services; IAM refuses most changes to them anyway).
 */
export const BUILT_IN_PROTECTED_PATTERNS: readonly { readonly pattern: string; readonly why: string }[] = [
  { pattern: 'arn:*:iam::*:role/cordon-*', why: "Cordon's own role" },
  { pattern: 'arn:*:sts::*:assumed-role/cordon-*', why: "Cordon's own role" },
  { pattern: 'arn:*:iam::*:role/cdk-*', why: 'a CDK bootstrap role' },
  { pattern: 'arn:*:sts::*:assumed-role/cdk-*', why: 'a CDK bootstrap role' },
  { pattern: 'arn:*:iam::*:role/aws-service-role/*', why: 'a service-linked role' },
  { pattern: 'arn:*:sts::*:assumed-role/AWSServiceRoleFor*', why: 'a service-linked role' },
];

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/** The ARNs by which a principal can be named: its own, and for sessions the role or user behind it. */
function arnsOf(principal: Principal, where: AccountOf): string[] {
  const arns = [principal.arn, principal.roleArn, principal.issuerArn];
  // GuardDuty names a user without its ARN: derive it (without a path, which the finding does not give).
  const accountId = principal.accountId ?? where.accountId;
  if (!principal.arn && principal.type === 'IAMUser' && principal.userName && accountId) {
    arns.push(`arn:${where.partition ?? 'aws'}:iam::${accountId}:user/${principal.userName}`);
  }
  return arns.filter((arn): arn is string => Boolean(arn));
}

/** The account and partition of the event, for principals that come without an ARN. */
export interface AccountOf {
  readonly accountId?: string;
  readonly partition?: string;
}

export interface ProtectionMatch {
  readonly arn: string;
  readonly pattern: string;
  readonly why: string;
}

/** The first protection that covers this principal, or undefined when Cordon may act on it. */
export function findProtection(
  principal: Principal,
  configuredPatterns: readonly string[],
  where: AccountOf = {},
): ProtectionMatch | undefined {
  const patterns = [
    ...BUILT_IN_PROTECTED_PATTERNS,
    ...configuredPatterns.map((pattern) => ({ pattern, why: 'listed in protectedPrincipals' })),
  ];
  for (const arn of arnsOf(principal, where)) {
    for (const { pattern, why } of patterns) {
      if (globToRegExp(pattern).test(arn)) return { arn, pattern, why };
    }
  }
  return undefined;
}
