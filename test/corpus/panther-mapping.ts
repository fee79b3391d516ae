/**
 * Which Panther rules (corpus `panther/`, panther-labs/panther-analysis, Apache-2.0) mean the same as
 * a Cordon detection, and where the two disagree on purpose. Read by
 * test/corpus/detections-corpus.test.ts, which runs every test case of every mapped rule through
 * `matchDetections` and fails on any disagreement not listed here (a regression), and on any listed
 * one that has gone away (the list must stay true).
 *
 * A rule is mapped only when its description and its test cases show the same meaning as the
 * detection; a rule that is broader or narrower in kind (any security-group change, any Lambda
 * permission) is left out, with the reason, in NOT_MAPPED. No Panther rule is about honeytokens, so
 * `honeytoken-used` is not evaluated here (the context has no honeytoken key ids, as by default).
 */

type Json = Readonly<Record<string, unknown>>;

/** The test cases of a Panther rule that the comparison keeps, when Panther's rule covers more than Cordon watches. */
export interface CaseScope {
  /** What is kept, and why the rest is left out. */
  readonly description: string;
  /** Whether a case (its raw event, as the corpus holds it) is kept. */
  includes(event: Json): boolean;
}

export interface PantherMapping {
  /** The Panther rule id (its file in corpus/panther/ is `<rule>.json`). */
  readonly rule: string;
  /** The Cordon detections of the same meaning: a case counts as matched when any of them matches. */
  readonly detections: readonly string[];
  /** Why the meaning is the same. */
  readonly why: string;
  readonly scope?: CaseScope;
  /** Test cases (by name) on which Cordon disagrees with Panther on purpose, each with the reason. */
  readonly disagreements?: Readonly<Record<string, string>>;
}

const GUARDDUTY_DETECTIONS = [
  'guardduty-iam-credential-finding',
  'guardduty-instance-credential-exfiltration',
  'guardduty-root-credential-usage',
  'guardduty-ec2-instance-compromise',
  'guardduty-attack-sequence-compromised-credentials',
] as const;

/** The finding types Cordon's GuardDuty detections are about: credentials, instances, credential attack sequences. */
const CREDENTIAL_OR_INSTANCE_FINDING: CaseScope = {
  description:
    "findings about an IAM principal's credentials (`*:IAMUser/*`, `AttackSequence:IAM/CompromisedCredentials`) " +
    'or a compromised instance (`CryptoCurrency`, `Backdoor`, `Trojan`, `UnauthorizedAccess` on `EC2`); ' +
    'Panther alerts on every finding type in its severity band, Cordon has no detection for the others ' +
    '(S3 data, Kubernetes, malware scans, ...)',
  includes: (event) => {
    const type = typeof event.type === 'string' ? event.type : '';
    return (
      /^[A-Za-z]+:IAMUser\//.test(type) ||
      type === 'AttackSequence:IAM/CompromisedCredentials' ||
      /^(CryptoCurrency|Backdoor|Trojan|UnauthorizedAccess):EC2\//.test(type)
    );
  },
};

const NO_RESOURCE_BLOCK =
  "Panther's test finding has no `resource` block. GuardDuty always sends `resource.resourceType` " +
  '`AccessKey` with `accessKeyDetails` on an IAMUser finding, and Cordon requires it: it names the ' +
  'principal to contain. An IAMUser finding with its resource matches (Recon:IAMUser/MaliciousIPCaller.Custom ' +
  'in the guardduty/ folder).';

export const PANTHER_MAPPINGS: readonly PantherMapping[] = [
  {
    rule: 'AWS.CloudTrail.Stopped',
    detections: ['cloudtrail-logging-tampered'],
    why: 'StopLogging or DeleteTrail on a trail: logging turned off (Stratus cloudtrail-stop, cloudtrail-delete).',
  },
  {
    rule: 'AWS.CloudTrail.EventSelectorsDisabled',
    detections: ['cloudtrail-logging-tampered'],
    why: 'PutEventSelectors that stops recording management events: logging weakened.',
  },
  {
    rule: 'AWS.CloudTrail.DNSLogsDeleted',
    detections: ['dns-query-logging-removed'],
    why: 'DeleteResolverQueryLogConfig: Route 53 Resolver query logs removed.',
  },
  {
    rule: 'AWS.VPCFlow.LogsDeleted',
    detections: ['vpc-flow-logs-deleted'],
    why: 'DeleteFlowLogs: VPC flow logs removed.',
  },
  {
    rule: 'AWS.ConfigService.DisabledDeleted',
    detections: ['config-recording-stopped'],
    why: 'AWS Config recorder stopped or deleted, or its delivery channel deleted, successfully.',
  },
  {
    rule: 'AWS.CloudTrail.AttemptToLeaveOrg',
    detections: ['organization-leave-attempt'],
    why: 'LeaveOrganization, failed attempts included: both count the attempt as the signal.',
  },
  {
    rule: 'AWS.CloudTrail.AMIModifiedForPublicAccess',
    detections: ['ami-shared'],
    why: 'ModifyImageAttribute adding launch permission for everyone or for an outside account.',
    disagreements: {
      'AMI Added to User':
        'Panther alerts on an account added to the launch permission only when its enrichment ' +
        '(`check_account_age`, mocked) does not know the account; Cordon has no inventory of known ' +
        'accounts and reports every share with another account.',
    },
  },
  {
    rule: 'AWS.CloudTrail.SnapshotMadePublic',
    detections: ['ebs-snapshot-shared'],
    why: 'ModifySnapshotAttribute adding createVolumePermission for everyone or for an account.',
  },
  {
    rule: 'AWS.RDS.SnapshotShared',
    detections: ['rds-snapshot-shared'],
    why: 'ModifyDBSnapshotAttribute adding accounts to the restore attribute.',
  },
  {
    rule: 'AWS.Console.RootLogin',
    detections: ['root-console-login'],
    why: 'A successful console sign-in by the root user.',
  },
  {
    rule: 'AWS.Root.Activity',
    detections: ['root-api-activity', 'root-console-login'],
    why:
      'Root user activity that changes something, console sign-in included; Cordon splits it into API ' +
      'calls and sign-ins, so a case counts as matched by either.',
    disagreements: {
      'Root Activity - CreateServiceLinkedRole':
        'Panther allow-lists CreateServiceLinkedRole as harmless; Cordon reports every call signed by ' +
        'root, since any use of the root credential is the signal.',
    },
  },
  {
    rule: 'AWS.Console.LoginWithoutMFA',
    detections: ['console-login-without-mfa', 'root-console-login'],
    why:
      'A successful password-only console sign-in; SAML, SSO and role sessions left out. A root sign-in ' +
      'without MFA is covered by root-console-login, which reports every root sign-in.',
    disagreements: {
      'No MFA Login - New User':
        'Panther leaves out sign-ins to accounts its enrichment (`check_account_age`, mocked) sees as ' +
        'newly created; Cordon has no account-age data and reports the sign-in.',
    },
  },
  {
    rule: 'AWS.IAM.Backdoor.User.Keys',
    detections: ['iam-access-key-created-for-another-user'],
    why: 'CreateAccessKey by one user for another user: a backdoor key.',
  },
  {
    rule: 'AWS.CloudTrail.LoginProfileCreatedOrModified',
    detections: ['iam-login-profile-changed-for-another-user'],
    why: "Creating or changing another user's console password.",
    disagreements: {
      ChangeOwnPassword:
        'The caller is a role session named "alice" changing IAM user alice: Panther takes the session ' +
        'name for the user. A session name is whatever the caller chose, so Cordon counts a role session ' +
        'as someone else than any IAM user.',
    },
  },
  {
    rule: 'AWS.User.Login.Profile.Modified',
    detections: ['iam-login-profile-changed-for-another-user'],
    why: "Changing another user's console password (Panther's deprecated form of the rule above).",
    disagreements: {
      ChangeOwnPassword:
        'The caller is a role session named "alice" changing IAM user alice: Panther takes the session ' +
        'name for the user. A session name is whatever the caller chose, so Cordon counts a role session ' +
        'as someone else than any IAM user.',
      'User changed password for other reset required':
        'Panther leaves out a reset that forces a new password at next sign-in; whoever set the password ' +
        'knows it and can sign in and choose the next one, so Cordon reports it.',
    },
  },
  {
    rule: 'AWS.IAM.CreateUser',
    detections: ['iam-user-created'],
    why: 'CreateUser: a new IAM user.',
  },
  {
    rule: 'Standard.NewUserAccountCreated',
    detections: ['iam-user-created'],
    why: "A new user account (Panther's cross-log rule; for CloudTrail, CreateUser).",
    disagreements: {
      'User Account Created - CloudTrail':
        "Panther's record holds only eventName and responseElements: without eventSource and eventType " +
        'it would reach no EventBridge rule (source aws.iam). A CloudTrail CreateUser record matches ' +
        '(AWS.IAM.CreateUser).',
    },
  },
  {
    rule: 'AWS.IAM.AttachAdminRolePolicy',
    detections: ['iam-admin-policy-granted'],
    why: 'AttachRolePolicy with AdministratorAccess.',
  },
  {
    rule: 'AWS.IAM.AttachAdminUserPolicy',
    detections: ['iam-admin-policy-granted'],
    why: 'AttachUserPolicy with AdministratorAccess.',
  },
  {
    rule: 'AWS.IAM.BackdoorRole',
    detections: ['iam-role-trust-policy-opened'],
    why: 'UpdateAssumeRolePolicy whose new trust policy lets "*" assume the role.',
  },
  {
    rule: 'AWS.KMS.CustomerManagedKeyLoss',
    detections: ['kms-key-deletion-scheduled'],
    why: 'A customer managed key scheduled for deletion: the data it encrypts about to be lost.',
    disagreements: {
      'KMS Key Disabled':
        'Panther counts DisableKey as key loss too; EnableKey undoes it at once and nothing is lost, so ' +
        'Cordon reports only ScheduleKeyDeletion, after which the key and its data are gone for good.',
    },
  },
  {
    rule: 'AWS.EC2.LaunchUnusualEC2Instances',
    detections: ['ec2-unusual-instance-type-launched'],
    why:
      'RunInstances of a configured unusual type (Panther mocks p2.xlarge as unusual; Cordon has GPU ' +
      'families by default), attempts that failed included.',
  },
  {
    rule: 'AWS.S3.DeletePublicAccessBlock',
    detections: ['s3-public-access-block-disabled'],
    why: 'DeleteBucketPublicAccessBlock that succeeded: S3 Block Public Access removed from a bucket.',
  },
  {
    rule: 'AWS.CloudTrail.ResourceMadePublic',
    detections: ['s3-bucket-policy-made-public', 's3-bucket-acl-made-public'],
    why: 'An S3 bucket policy or ACL opened to everyone, conditions that restrict the callers respected.',
    scope: {
      description:
        'S3 bucket policies and ACLs (PutBucketPolicy, PutBucketAcl); Panther also checks ECR, ' +
        'OpenSearch, KMS, Glacier, SNS, SQS and Secrets Manager policies, for which Cordon has no detection',
      includes: (event) =>
        event.eventSource === 's3.amazonaws.com' &&
        (event.eventName === 'PutBucketPolicy' || event.eventName === 'PutBucketAcl'),
    },
  },
  {
    rule: 'AWS.IPSet.Modified',
    detections: ['guardduty-detector-tampered'],
    why: 'A GuardDuty trusted IP list created or changed, which silences findings about those IPs.',
    scope: {
      description: 'GuardDuty IP sets; Panther also watches WAF IP sets, which are not trusted lists',
      includes: (event) => (event.eventSource ?? event.eventsource) === 'guardduty.amazonaws.com',
    },
    disagreements: {
      'CreateIPSet Event':
        'A data-warehouse export with lower-case keys (eventname, eventsource) and no requestParameters: ' +
        'not a CloudTrail record, and nothing says the list was activated. Cordon reports CreateIPSet ' +
        'only with activate true, since an inactive list silences nothing.',
      UpdateIPSet:
        'A data-warehouse export with lower-case keys (eventname, eventsource) and no requestParameters: ' +
        'not a CloudTrail record, and nothing says the list was activated. Cordon reports CreateIPSet ' +
        'only with activate true, since an inactive list silences nothing.',
    },
  },
  {
    rule: 'AWS.GuardDuty.CriticalSeverityFinding',
    detections: GUARDDUTY_DETECTIONS,
    why: 'A critical GuardDuty finding (9 and above), sample findings left out.',
    scope: CREDENTIAL_OR_INSTANCE_FINDING,
  },
  {
    rule: 'AWS.GuardDuty.HighSeverityFinding',
    detections: GUARDDUTY_DETECTIONS,
    why: 'A high-severity GuardDuty finding (7 to 8.9), above the default threshold of 5.',
    scope: CREDENTIAL_OR_INSTANCE_FINDING,
    disagreements: { 'High Sev Finding': NO_RESOURCE_BLOCK },
  },
  {
    rule: 'AWS.GuardDuty.MediumSeverityFinding',
    detections: GUARDDUTY_DETECTIONS,
    why: 'A medium-severity GuardDuty finding (4 to 6.9); its test finding (5) is at the default threshold.',
    scope: CREDENTIAL_OR_INSTANCE_FINDING,
    disagreements: { 'Medium Sev Finding': NO_RESOURCE_BLOCK },
  },
];

/** Panther rules close to a Cordon detection that are not mapped, and why the meaning differs. */
export const NOT_MAPPED: Readonly<Record<string, string>> = {
  'AWS.GuardDuty.LowSeverityFinding':
    'Alerts on low-severity findings (1 to 3.9); Cordon acts only at or above its threshold (5 by default), on purpose.',
  'AWS.EC2.SecurityGroupModified':
    'Any security group change (its positive case opens port 22 to one /32); security-group-opened-to-world is about 0.0.0.0/0 and ::/0 only.',
  'AWS.EC2.ManualSecurityGroupChange':
    'A security group changed outside the allowed tools (judged by user agent), whatever the range opened.',
  'AWS.RDS.SecurityGroupIngressAuthorized':
    'Ingress to an RDS DB security group (EC2-Classic AuthorizeDBSecurityGroupIngress), from any range.',
  'AWS.Potential.Backdoor.Lambda':
    'Any AddPermission on a function; lambda-function-made-public is about principal "*" without a source condition.',
  'AWS.CloudTrail.SecurityConfigurationChange':
    'A list of account-wide security changes (trails, GuardDuty, Config, ...) in one rule: broader than any one detection.',
  'AWS.CloudTrail.RootAccessKeyCreated':
    'One root action (CreateAccessKey for root itself); root-api-activity reports every root call, so their negatives differ.',
  'AWS.Console.RootLoginFailed':
    'Failed root sign-ins; root-console-login leaves failures out on purpose (guessing, not access).',
  'AWS.CloudTrail.UserAccessKeyAuth':
    "A signal (no alert) on any successful call with an IAM user's access key; not a honeytoken rule: the key is not a decoy.",
  'AWS.STS.GetCallerIdentity.TruffleHog':
    'Judged by the TruffleHog user agent, with any key; Cordon has no user-agent detection, and its honeytoken rule is about decoy keys.',
  'AWS.CloudTrail.IMDSCredentialExfiltration':
    'Built on CloudTrail (an instance role session from outside AWS); guardduty-instance-credential-exfiltration reads the GuardDuty finding.',
};

/**
 * guardduty/ findings on which a credential detection disagrees with the expectation (a credential
 * finding at or above the threshold matches its detection; nothing else matches one), keyed
 * `<file>#<index>`, each with the reason.
 */
export const GUARDDUTY_FINDING_EXCEPTIONS: Readonly<Record<string, string>> = {
  'PrivilegeEscalation_IAMUser_AdministrativePermissions.json#0': NO_RESOURCE_BLOCK,
  'PrivilegeEscalation_IAMUser_AdministrativePermissions.json#1': NO_RESOURCE_BLOCK,
  'PrivilegeEscalation_IAMUser_AdministrativePermissions.json#4': NO_RESOURCE_BLOCK,
  'PrivilegeEscalation_IAMUser_AdministrativePermissions.json#5': NO_RESOURCE_BLOCK,
};
