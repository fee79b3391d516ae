/** Cordon's deny-all, in the three forms IAM can carry it. */

/** The inline policy Cordon puts on a contained user. */
export const DENY_ALL_POLICY_NAME = 'cordon-deny-all';

export const DENY_ALL_POLICY_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'CordonDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
});

/** The AWS managed policy used when the inline policy does not fit, as a policy or as a boundary. */
export const AWS_DENY_ALL_POLICY_NAME = 'AWSDenyAll';

export function awsDenyAllArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/${AWS_DENY_ALL_POLICY_NAME}`;
}

export function isAwsDenyAll(policyArn: string): boolean {
  return /^arn:[a-z-]+:iam::aws:policy\/AWSDenyAll$/.test(policyArn);
}
