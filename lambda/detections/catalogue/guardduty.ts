/** GuardDuty findings about credentials and instances. */
import type { Detection, EventPattern } from '../types';
import { GUARDDUTY_FINDING, at, text } from './shared';

function finding(detail: EventPattern): EventPattern {
  return { source: ['aws.guardduty'], 'detail-type': [GUARDDUTY_FINDING], detail };
}

function severityAtLeast(threshold: number): EventPattern['severity'] {
  return [{ numeric: ['>=', threshold] }];
}

/** The IAM-user finding families: every finding type about an access key's use starts with one of these. */
const IAM_USER_FAMILIES = [
  'UnauthorizedAccess',
  'CredentialAccess',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'Impact',
  'Exfiltration',
  'Discovery',
  'Stealth',
  'InitialAccess',
  'Recon',
  'PenTest',
].map((family) => `${family}:IAMUser/`);

const INSTANCE_CREDENTIAL_EXFILTRATION = 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.';

/** Instance findings whose workload is someone else's now: mining coins, or a bot under remote control. */
const EC2_TAKEN_OVER_FAMILIES = ['CryptoCurrency:EC2/', 'Backdoor:EC2/'];
/** Instance findings that may be a false positive or a victim (malware traffic, brute force from it, ...). */
const EC2_COMPROMISE_FAMILIES = ['Trojan:EC2/', 'UnauthorizedAccess:EC2/'];

export const GUARDDUTY_DETECTIONS: readonly Detection[] = [
  {
    id: 'guardduty-iam-credential-finding',
    title: 'GuardDuty finding on an access key',
    severity: 'high',
    source: 'guardduty',
    defaultResponse: 'contain',
    rationale:
      'GuardDuty saw an access key used the way stolen keys are (from a Tor exit node or a threat-listed IP, ' +
      'anomalous discovery, persistence or privilege escalation, logging or detector tampering, ...). Its ' +
      'findings at or above the configured severity are precise enough to act on, and every minute the key ' +
      'keeps working the attacker goes further, so the principal is contained.',
    mitre: 'T1078.004',
    pattern: (context) =>
      finding({
        type: IAM_USER_FAMILIES.map((family) => ({ prefix: family })),
        resource: { resourceType: ['AccessKey'] },
        severity: severityAtLeast(context.guardDutySeverityThreshold),
      }),
    refinement:
      'Leaves out UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.* findings, which ' +
      'guardduty-instance-credential-exfiltration handles (an EventBridge pattern cannot say "this prefix ' +
      'but not that one").',
    refine: (event) => !text(at(event, 'detail', 'type'))?.startsWith(INSTANCE_CREDENTIAL_EXFILTRATION),
  },
  {
    id: 'guardduty-instance-credential-exfiltration',
    title: 'EC2 instance credentials used from elsewhere',
    severity: 'critical',
    source: 'guardduty',
    defaultResponse: 'contain',
    rationale:
      "An instance role's temporary credentials were used from outside AWS, or from another AWS account: " +
      'they were taken from the instance metadata service (SSRF, a compromised workload). The role sessions ' +
      'issued before now are revoked and the instance is isolated, which stops the stolen session without ' +
      'waiting for it to expire.',
    mitre: 'T1552.005',
    pattern: (context) =>
      finding({
        type: [{ prefix: INSTANCE_CREDENTIAL_EXFILTRATION }],
        resource: { resourceType: ['AccessKey'] },
        severity: severityAtLeast(context.guardDutySeverityThreshold),
      }),
  },
  {
    id: 'guardduty-root-credential-usage',
    title: 'GuardDuty saw the root user used',
    severity: 'critical',
    source: 'guardduty',
    defaultResponse: 'notify',
    rationale:
      'The root user should sign in only for the few tasks that need it; unexpected use means its password ' +
      'or keys may be in other hands. No API can lock root out of a standalone account, so Cordon can only ' +
      'alert (reset the password, check MFA, remove root keys, call AWS Support). GuardDuty rates this ' +
      'finding Low (2.0), so the severity threshold does not apply to it: it would silence it.',
    mitre: 'T1078.004',
    pattern: () =>
      finding({
        type: ['Policy:IAMUser/RootCredentialUsage'],
        resource: { resourceType: ['AccessKey'] },
      }),
  },
  {
    id: 'guardduty-ec2-cryptomining-or-backdoor',
    title: 'GuardDuty: an EC2 instance mines coins or is under remote control',
    severity: 'high',
    source: 'guardduty',
    defaultResponse: 'contain',
    rationale:
      'Crypto-mining or backdoor (command-and-control, denial-of-service bot, spam) activity from an ' +
      'instance: someone else runs the workload now, and every hour costs money and reputation. The ' +
      'instance is isolated (a security group with no rules, established connections cut), its volumes ' +
      'snapshotted and termination protection turned on; it keeps running, since its memory is evidence ' +
      '(instanceIsolation.stopInstance stops it). Its role sessions are revoked only if ' +
      'instanceIsolation.revokeRoleSessions says so.',
    mitre: 'T1496.001',
    pattern: (context) =>
      finding({
        type: EC2_TAKEN_OVER_FAMILIES.map((family) => ({ prefix: family })),
        resource: { resourceType: ['Instance'] },
        severity: severityAtLeast(context.guardDutySeverityThreshold),
      }),
  },
  {
    id: 'guardduty-ec2-instance-compromise',
    title: 'GuardDuty finding on a possibly compromised EC2 instance',
    severity: 'high',
    source: 'guardduty',
    defaultResponse: 'notify',
    rationale:
      'Trojan or unauthorized-access activity from an instance (malware domains queried, brute force or ' +
      'port scans from it, ...): the workload may be compromised, or may only be the target, and isolating ' +
      'it can break production. People decide (set the response to contain to isolate such instances); ' +
      "the instance's role credentials are covered by the exfiltration finding if they leave the instance.",
    mitre: 'T1496.001',
    pattern: (context) =>
      finding({
        type: EC2_COMPROMISE_FAMILIES.map((family) => ({ prefix: family })),
        resource: { resourceType: ['Instance'] },
        severity: severityAtLeast(context.guardDutySeverityThreshold),
      }),
  },
  {
    id: 'guardduty-attack-sequence-compromised-credentials',
    title: 'GuardDuty attack sequence: compromised credentials',
    severity: 'critical',
    source: 'guardduty',
    defaultResponse: 'notify',
    rationale:
      "GuardDuty's extended threat detection correlated several signals (discovery, persistence, logging " +
      'tampering, ...) into one attack by one principal. The finding names the principal only in its ' +
      'sequence details, not as an access key resource, so Cordon reports it for a person to act on; the ' +
      'individual findings and CloudTrail detections contain the principal.',
    mitre: 'T1078.004',
    pattern: (context) =>
      finding({
        type: ['AttackSequence:IAM/CompromisedCredentials'],
        severity: severityAtLeast(context.guardDutySeverityThreshold),
      }),
  },
];
