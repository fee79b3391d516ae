/**
 * A CloudTrail record (API call, console sign-in, service event, Insight event; with or without
 * its EventBridge envelope) as a Signal, or a Rejection that says why it names no principal Cordon
 * can act on.
 */
import { partitionOfRegion } from '../config/regions';
import { CLOUDTRAIL_DETAIL_TYPES, stableId } from './envelope';
import { compact, fieldProblem, missingFields, reject, type Refusal } from './results';
import {
  CloudTrailRecordSchema,
  UserIdentitySchema,
  type ParsedCloudTrailRecord,
  type ParsedEnvelope,
  type ParsedUserIdentity,
} from './schemas';
import { describeUnknownObject, has, isRecord } from './shapes';
import type { ParseResult, Principal, Signal } from './signal';
import {
  accountIdOf,
  afterColon,
  arnName,
  assumedRoleParts,
  booleanOf,
  clean,
  credentialKindOf,
  firstRegion,
  firstTime,
  isIdentityCenterRole,
  isInstanceId,
  kindOf,
  parseArn,
  partitionOfArn,
  quote,
  yesNoOf,
} from './values';

const CONSOLE_SIGN_IN_DETAIL_TYPE = CLOUDTRAIL_DETAIL_TYPES.AwsConsoleSignIn;
const INSIGHT_DETAIL_TYPE = CLOUDTRAIL_DETAIL_TYPES.AwsCloudTrailInsight;

interface ResolvedPrincipal {
  readonly principal: Principal;
  readonly instanceId?: string;
}

export function parseCloudTrail(
  detail: Record<string, unknown>,
  envelope: ParsedEnvelope | undefined,
): ParseResult {
  const record = CloudTrailRecordSchema.parse(detail);
  const originId = clean(record.eventID);
  const eventId = clean(envelope?.id) ?? originId ?? stableId('cloudtrail-record', detail);
  const what = describeRecord(record);
  const userIdentity = record.userIdentity;

  if (userIdentity === undefined || userIdentity === null) {
    const isInsight =
      record.eventType === 'AwsCloudTrailInsight' ||
      record.insightDetails !== undefined ||
      envelope?.['detail-type'] === INSIGHT_DETAIL_TYPE;
    if (!isInsight && has(detail, 'useridentity')) {
      return reject(
        'missing-identity',
        `${what} has no userIdentity: ${describeUnknownObject(detail)}`,
        eventId,
      );
    }
    return reject(
      'missing-identity',
      isInsight
        ? `${what.replace('CloudTrail record', 'CloudTrail Insight event')} has no userIdentity (CloudTrail ` +
            'Insight events have none: they report unusual API activity, not a caller)'
        : record.eventType === 'AwsServiceEvent'
          ? `${what} is an AWS service event with no userIdentity: the service acted on its own, no principal called it`
          : `${what} has no userIdentity (CloudTrail Insight events have none)`,
      eventId,
    );
  }
  if (!isRecord(userIdentity)) {
    return reject(
      'missing-identity',
      `${what} has a userIdentity that is ${kindOf(userIdentity)}: expected an object`,
      eventId,
    );
  }

  const identity = UserIdentitySchema.parse(userIdentity);
  const isConsoleSignIn =
    record.eventType === 'AwsConsoleSignIn' || envelope?.['detail-type'] === CONSOLE_SIGN_IN_DETAIL_TYPE;
  const resolved = resolveCloudTrailPrincipal(identity, record, isConsoleSignIn, what);
  if ('reason' in resolved) return reject(resolved.reason, resolved.message, eventId);
  const { principal, instanceId } = resolved;

  const time = firstTime(record.eventTime, envelope?.time);
  const region = firstRegion(record.awsRegion, envelope?.region);
  const accountId =
    accountIdOf(record.recipientAccountId) ??
    accountIdOf(envelope?.account) ??
    // A record that does not say which account received it: the principal's own account (not for
    // AWSAccount, whose accountId is the other account).
    (principal.type === 'AWSAccount' ? undefined : accountIdOf(principal.accountId));
  if (time === undefined || region === undefined || accountId === undefined) {
    return reject(
      'missing-field',
      missingFields(what, [
        time === undefined ? fieldProblem('eventTime', record.eventTime, 'an ISO 8601 time') : undefined,
        region === undefined ? fieldProblem('awsRegion', record.awsRegion, 'an AWS region') : undefined,
        accountId === undefined
          ? fieldProblem('recipientAccountId', record.recipientAccountId, 'a 12-digit account id')
          : undefined,
      ]),
      eventId,
    );
  }

  const accessKeyId = clean(identity.accessKeyId);
  const signal: Signal = {
    kind: 'signal',
    source: 'cloudtrail',
    eventId,
    originId,
    eventName: clean(record.eventName),
    eventSource: clean(record.eventSource),
    time,
    region,
    accountId,
    principal,
    accessKeyId,
    credentialKind: credentialKindOf(accessKeyId, isConsoleSignIn),
    sourceIp: clean(record.sourceIPAddress),
    userAgent: clean(record.userAgent),
    errorCode: clean(record.errorCode),
    instanceId,
    partition:
      partitionOfArn(principal.arn) ??
      partitionOfArn(principal.roleArn) ??
      partitionOfArn(principal.issuerArn) ??
      partitionOfRegion(region),
  };
  return compact(signal);
}

function resolveCloudTrailPrincipal(
  identity: ParsedUserIdentity,
  record: ParsedCloudTrailRecord,
  isConsoleSignIn: boolean,
  what: string,
): ResolvedPrincipal | Refusal {
  const rawType = clean(identity.type);
  const invokedBy = clean(identity.invokedBy);
  const arn = clean(identity.arn);
  const parsedArn = parseArn(arn);
  const principalId = clean(identity.principalId);
  const issuer = identity.sessionContext?.sessionIssuer;
  const issuerArn = clean(issuer?.arn);
  const mfaAuthenticated =
    booleanOf(identity.sessionContext?.attributes?.mfaAuthenticated) ??
    (isConsoleSignIn ? yesNoOf(record.additionalEventData?.MFAUsed) : undefined);
  const common = {
    arn,
    accountId: clean(identity.accountId) ?? parsedArn?.account,
    principalId,
    invokedBy,
    mfaAuthenticated,
    rawType,
  };

  if (rawType === 'AWSService' || (rawType === undefined && invokedBy !== undefined)) {
    return {
      reason: 'aws-service-principal',
      message:
        `${what} was made by the AWS service ${invokedBy ?? '(invokedBy not given)'} acting on its own ` +
        `(userIdentity type ${rawType ?? 'absent, with invokedBy'}): not a credential Cordon can contain`,
    };
  }
  switch (rawType) {
    case undefined:
      return {
        reason: 'missing-identity',
        message: `${what} has a userIdentity without a type${
          Object.keys(identity).length === 0 ? ' (it is empty)' : ''
        }: Cordon cannot tell what kind of principal made the call`,
      };
    case 'IAMUser':
      // Also sessions from GetSessionToken: still the IAM user, with an ASIA key.
      return {
        principal: {
          type: 'IAMUser',
          ...common,
          userName: clean(identity.userName) ?? arnName(parsedArn, 'user'),
          issuerType: clean(issuer?.type),
          issuerArn,
        },
      };
    case 'Root':
      return { principal: { type: 'Root', ...common } };
    case 'AssumedRole': {
      const session = assumedRoleParts(parsedArn);
      const roleName = clean(issuer?.userName) ?? arnName(parseArn(issuerArn), 'role') ?? session?.roleName;
      const sessionName = session?.sessionName ?? afterColon(principalId);
      // Instance-profile credentials: CloudTrail (not the caller) sets ec2RoleDelivery, and the
      // session is named after the instance. Without ec2RoleDelivery an instance-like session name
      // is only a name the caller chose.
      const instanceId =
        clean(identity.sessionContext?.ec2RoleDelivery) !== undefined &&
        sessionName &&
        isInstanceId(sessionName)
          ? sessionName
          : undefined;
      return {
        principal: {
          type: isIdentityCenterRole(roleName, issuerArn) ? 'IdentityCenterUser' : 'AssumedRole',
          ...common,
          roleName,
          roleArn: issuerArn,
          sessionName,
        },
        instanceId,
      };
    }
    case 'FederatedUser': {
      // The federated name comes from the GetFederationToken caller; the IAM user whose
      // permissions the session carries is the session issuer, as CloudTrail records it.
      const issuerType = clean(issuer?.type);
      const federatedName = arnName(parsedArn, 'federated-user') ?? afterColon(principalId);
      return {
        principal: {
          type: 'FederatedUser',
          ...common,
          userName:
            issuerType === 'IAMUser'
              ? (clean(issuer?.userName) ?? arnName(parseArn(issuerArn), 'user'))
              : undefined,
          sessionName: federatedName,
          issuerType,
          issuerArn,
        },
      };
    }
    case 'AWSAccount':
      return { principal: { type: 'AWSAccount', ...common } };
    case 'IdentityCenterUser':
      return {
        principal: {
          type: 'IdentityCenterUser',
          ...common,
          identityStoreUserId: clean(identity.onBehalfOf?.userId),
          identityStoreArn: clean(identity.onBehalfOf?.identityStoreArn),
        },
      };
    default:
      // "Unknown" (Identity Center sign-ins, failed sign-ins), SAMLUser, WebIdentityUser, Directory.
      return { principal: { type: 'Unknown', ...common, userName: clean(identity.userName) } };
  }
}

function describeRecord(record: ParsedCloudTrailRecord): string {
  const name = clean(record.eventName);
  const id = clean(record.eventID);
  return `CloudTrail record${name ? ` ${name}` : ''}${id ? ` (eventID ${quote(id)})` : ''}`;
}
