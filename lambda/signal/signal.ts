/**
 * What the parser makes of an incoming event: a Signal (who did what, with which credentials,
 * from where, how bad) or a Rejection that says why no Signal could be made.
 */

/** CloudTrail `userIdentity.type`, with Identity Center users told apart from other roles. */
export type PrincipalType =
  | 'IAMUser'
  | 'AssumedRole'
  | 'Root'
  | 'FederatedUser'
  | 'AWSService'
  | 'AWSAccount'
  | 'IdentityCenterUser'
  | 'Unknown';

/** long-term: an AKIA key; temporary: an ASIA session; none: console or service; unknown: not said. */
export type CredentialKind = 'long-term' | 'temporary' | 'none' | 'unknown';

export interface Principal {
  readonly type: PrincipalType;
  /** The ARN CloudTrail gives (for a role session, the assumed-role ARN). */
  readonly arn?: string;
  readonly accountId?: string;
  readonly principalId?: string;
  /** IAMUser: the user. FederatedUser and GetSessionToken sessions: the IAM user that issued them. */
  readonly userName?: string;
  /** AssumedRole: the role (from sessionContext.sessionIssuer), its ARN and the session name. */
  readonly roleName?: string;
  readonly roleArn?: string;
  readonly sessionName?: string;
  /** AWSService: the service (`invokedBy`), e.g. ec2.amazonaws.com. */
  readonly invokedBy?: string;
  /** Whether the session was MFA-authenticated, when CloudTrail says. */
  readonly mfaAuthenticated?: boolean;
  /**
   * The type exactly as the event gave it (`userIdentity.type`, GuardDuty's `userType`), e.g.
   * "SAMLUser" or "Directory" when `type` is Unknown, "AssumedRole" for an Identity Center role.
   */
  readonly rawType?: string;
  /**
   * Sessions (AssumedRole, FederatedUser, IAM-user sessions): who issued them, from
   * `sessionContext.sessionIssuer` ("Role", "IAMUser", "Root") and its ARN. For a FederatedUser
   * this is the IAM user whose permissions the session carries.
   */
  readonly issuerType?: string;
  readonly issuerArn?: string;
  /** IdentityCenterUser (native CloudTrail type): `onBehalfOf.userId` and `identityStoreArn`. */
  readonly identityStoreUserId?: string;
  readonly identityStoreArn?: string;
}

export interface Signal {
  readonly kind: 'signal';
  readonly source: 'cloudtrail' | 'guardduty' | 'manual';
  /** The EventBridge event id (unique per delivery target; re-deliveries keep it). */
  readonly eventId: string;
  /** CloudTrail eventID, or the GuardDuty finding id. */
  readonly originId?: string;
  readonly eventName?: string;
  readonly eventSource?: string;
  readonly findingType?: string;
  /** GuardDuty's numeric severity (1.0 to 10.0). */
  readonly severity?: number;
  readonly time: string;
  readonly region: string;
  readonly accountId: string;
  readonly principal: Principal;
  readonly accessKeyId?: string;
  readonly credentialKind: CredentialKind;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly errorCode?: string;
  /**
   * For instance findings and credential exfiltration: the EC2 instance concerned. For stolen
   * instance credentials, from the finding's instance details or else the role session's name,
   * which EC2 sets to the instance id.
   */
  readonly instanceId?: string;
  /** For instance findings: the instance profile the finding names (its role holds the instance's credentials). */
  readonly instanceProfileArn?: string;
  /** The ARN partition: aws, aws-us-gov, aws-cn... (from an ARN, the finding, or the region). */
  readonly partition?: string;
  /** A GuardDuty sample finding (`service.additionalInfo.sample`): placeholder values, never act on it. */
  readonly sample?: boolean;
}

export type RejectionReason =
  | 'not-an-object'
  | 'unknown-shape'
  | 'missing-identity'
  | 'aws-service-principal'
  | 'unsupported-finding'
  /** An identity was found but a field every Signal needs (time, region, account) is absent or unusable. */
  | 'missing-field'
  /** The parser itself failed on this input: a bug in Cordon, reported instead of thrown. */
  | 'parser-error'
  /** A signal for an account other than the one Cordon runs in: recorded and reported, never acted on. */
  | 'other-account';

export interface Rejection {
  readonly kind: 'rejection';
  readonly reason: RejectionReason;
  /** A sentence a person can act on: what was missing or wrong, and where. */
  readonly message: string;
  readonly eventId?: string;
}

export type ParseResult = Signal | Rejection;
