/**
 * `parse(event)`: what an incoming event says about a principal, as a Signal, or why it says
 * nothing Cordon can act on, as a Rejection. Never throws: any JSON (any value at all) gives one
 * of the two, and a Rejection's message names what was missing or wrong.
 *
 * Reads EventBridge events (GuardDuty findings; CloudTrail API calls, console sign-ins, service
 * events and Insight events) and the same records without the envelope (raw CloudTrail records as
 * in log files, raw GuardDuty findings), so the CLI can feed either.
 *
 * Values are taken as given, never invented: a string that is empty or an angle-bracketed
 * placeholder ("<Attacker source IP>") counts as absent; a time without a zone (Panther's
 * "2022-09-15 13:45:24", GuardDuty's "2025-02-25 20:40:06.721") is read as UTC, which both
 * services use, and written in ISO 8601.
 */
import { CLOUDTRAIL_DETAIL_TYPES, GUARDDUTY_DETAIL_TYPE, stableId } from './envelope';
import {
  CloudTrailRecordSchema,
  EventBridgeEnvelopeSchema,
  GuardDutyFindingSchema,
  UserIdentitySchema,
  type ParsedCloudTrailRecord,
  type ParsedEnvelope,
  type ParsedGuardDutyFinding,
  type ParsedUserIdentity,
} from './schemas';
import type { CredentialKind, ParseResult, Principal, Rejection, RejectionReason, Signal } from './signal';

const CLOUDTRAIL_DETAIL_TYPE_NAMES: ReadonlySet<string> = new Set(Object.values(CLOUDTRAIL_DETAIL_TYPES));
const CONSOLE_SIGN_IN_DETAIL_TYPE = CLOUDTRAIL_DETAIL_TYPES.AwsConsoleSignIn;
const INSIGHT_DETAIL_TYPE = CLOUDTRAIL_DETAIL_TYPES.AwsCloudTrailInsight;

/** Parses any value into a Signal or a Rejection. Never throws. */
export function parse(event: unknown): ParseResult {
  try {
    return route(event);
  } catch (error) {
    return {
      kind: 'rejection',
      reason: 'parser-error',
      message: `Cordon's parser failed on this event (a bug in Cordon, please report it): ${describeError(error)}`,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------

function route(event: unknown): ParseResult {
  if (!isRecord(event)) {
    return reject(
      'not-an-object',
      `Expected a JSON object (an EventBridge event, a CloudTrail record or a GuardDuty finding), got ${kindOf(event)}`,
    );
  }
  if (has(event, 'detail-type') || (has(event, 'detail') && has(event, 'source')))
    return parseEnvelope(event);
  if (looksLikeCloudTrailRecord(event)) return parseCloudTrail(event, undefined);
  if (looksLikeGuardDutyFinding(event)) return parseGuardDuty(event, undefined);
  return reject('unknown-shape', describeUnknownObject(event));
}

function parseEnvelope(event: Record<string, unknown>): ParseResult {
  const envelope = EventBridgeEnvelopeSchema.parse(event);
  const detailType = envelope['detail-type'];
  const source = envelope.source;
  const eventId = clean(envelope.id);
  const detail = envelope.detail;
  const what = `EventBridge event (detail-type ${quote(detailType)}, source ${quote(source)})`;
  if (!isRecord(detail)) {
    return reject(
      'unknown-shape',
      `${what} has ${detail === undefined ? 'no detail' : `a detail that is ${kindOf(detail)}`}: expected an object`,
      eventId,
    );
  }
  if (detailType === GUARDDUTY_DETAIL_TYPE) return parseGuardDuty(detail, envelope);
  if (detailType !== undefined && CLOUDTRAIL_DETAIL_TYPE_NAMES.has(detailType)) {
    return parseCloudTrail(detail, envelope);
  }
  if (detailType === undefined) {
    // Not a shape EventBridge delivers, but the detail may still say what it is.
    if (source === 'aws.guardduty' || looksLikeGuardDutyFinding(detail))
      return parseGuardDuty(detail, envelope);
    if (looksLikeCloudTrailRecord(detail)) return parseCloudTrail(detail, envelope);
  }
  return reject(
    'unknown-shape',
    `${what} is not one Cordon reads: expected "${GUARDDUTY_DETAIL_TYPE}" or one of ` +
      [...CLOUDTRAIL_DETAIL_TYPE_NAMES].map((name) => `"${name}"`).join(', '),
    eventId,
  );
}

function looksLikeCloudTrailRecord(value: Record<string, unknown>): boolean {
  return has(value, 'eventVersion') || has(value, 'eventSource') || has(value, 'userIdentity');
}

function looksLikeGuardDutyFinding(value: Record<string, unknown>): boolean {
  if (typeof value.type !== 'string') return false;
  const arn = typeof value.arn === 'string' ? value.arn : '';
  return has(value, 'schemaVersion') || arn.includes(':guardduty:');
}

function describeUnknownObject(event: Record<string, unknown>): string {
  const keys = Object.keys(event);
  const lowerCase = ['useridentity', 'eventsource', 'eventversion', 'eventname', 'eventtime'].filter((key) =>
    has(event, key),
  );
  if (lowerCase.length > 0) {
    return (
      `Object has lower-case CloudTrail keys (${lowerCase.join(', ')}): a data-warehouse export, not a ` +
      `CloudTrail record, whose keys are camelCase (userIdentity, eventSource, eventVersion)`
    );
  }
  if (Array.isArray(event.Records)) {
    return `Object is a CloudTrail log file with ${event.Records.length} Records: parse each record on its own`;
  }
  if (typeof event.CloudTrailEvent === 'string') {
    return 'Object is a CloudTrail LookupEvents result: parse the JSON in its CloudTrailEvent field';
  }
  const shown = keys.slice(0, 8).map((key) => quote(key));
  return (
    'Object is neither an EventBridge event (no "detail-type"), a CloudTrail record (no eventVersion, ' +
    'eventSource or userIdentity) nor a GuardDuty finding (no type with schemaVersion); ' +
    (keys.length === 0 ? 'it has no keys' : `its keys: ${shown.join(', ')}${keys.length > 8 ? ', ...' : ''}`)
  );
}

// ---------------------------------------------------------------------------------------------
// CloudTrail
// ---------------------------------------------------------------------------------------------

interface Refusal {
  readonly reason: RejectionReason;
  readonly message: string;
}

interface ResolvedPrincipal {
  readonly principal: Principal;
  readonly instanceId?: string;
}

function parseCloudTrail(detail: Record<string, unknown>, envelope: ParsedEnvelope | undefined): ParseResult {
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
        INSTANCE_ID.test(sessionName)
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

// ---------------------------------------------------------------------------------------------
// GuardDuty
// ---------------------------------------------------------------------------------------------

function parseGuardDuty(detail: Record<string, unknown>, envelope: ParsedEnvelope | undefined): ParseResult {
  const finding = GuardDutyFindingSchema.parse(detail);
  const originId = clean(finding.id);
  const eventId = clean(envelope?.id) ?? originId ?? stableId('guardduty-finding', detail);
  const findingType = clean(finding.type);
  const resourceType = clean(finding.resource?.resourceType);
  const what = `GuardDuty finding ${findingType ?? '(no type)'}${originId ? ` (id ${quote(originId)})` : ''}`;

  const keyDetails = finding.resource?.accessKeyDetails;
  const instanceId = clean(finding.resource?.instanceDetails?.instanceId);
  const accessKeyId = clean(keyDetails?.accessKeyId);
  let principal: Principal;
  if (
    keyDetails !== undefined &&
    [keyDetails.userType, keyDetails.userName, keyDetails.accessKeyId, keyDetails.principalId].some(
      (value) => clean(value) !== undefined,
    )
  ) {
    const resolved = resolveGuardDutyPrincipal(keyDetails, what);
    if ('reason' in resolved) return reject(resolved.reason, resolved.message, eventId);
    principal = resolved;
  } else if (instanceId !== undefined) {
    principal = { type: 'Unknown' };
  } else {
    return reject(
      'unsupported-finding',
      `${what} (resourceType ${resourceType ?? 'absent'}) names neither an access key ` +
        '(resource.accessKeyDetails) nor an EC2 instance (resource.instanceDetails.instanceId): ' +
        'no principal for Cordon to act on',
      eventId,
    );
  }

  const time = firstTime(finding.updatedAt, finding.createdAt, envelope?.time);
  const region = firstRegion(finding.region, envelope?.region);
  const accountId = accountIdOf(finding.accountId) ?? accountIdOf(envelope?.account);
  if (time === undefined || region === undefined || accountId === undefined) {
    return reject(
      'missing-field',
      missingFields(what, [
        time === undefined ? fieldProblem('updatedAt', finding.updatedAt, 'an ISO 8601 time') : undefined,
        region === undefined ? fieldProblem('region', finding.region, 'an AWS region') : undefined,
        accountId === undefined
          ? fieldProblem('accountId', finding.accountId, 'a 12-digit account id')
          : undefined,
      ]),
      eventId,
    );
  }

  const action = finding.service?.action;
  const apiCall = action?.awsApiCallAction;
  const partition = clean(finding.partition);
  const signal: Signal = {
    kind: 'signal',
    source: 'guardduty',
    eventId,
    originId,
    eventName: clean(apiCall?.api),
    eventSource: clean(apiCall?.serviceName),
    findingType,
    severity: finding.severity,
    time,
    region,
    accountId,
    principal,
    accessKeyId,
    credentialKind: credentialKindOf(accessKeyId, false),
    sourceIp: ipOf(
      apiCall?.remoteIpDetails,
      action?.networkConnectionAction?.remoteIpDetails,
      ...(action?.portProbeAction?.portProbeDetails ?? []).map((probe) => probe?.remoteIpDetails),
      action?.kubernetesApiCallAction?.remoteIpDetails,
      action?.rdsLoginAttemptAction?.remoteIpDetails,
    ),
    userAgent: clean(apiCall?.userAgent) ?? clean(action?.kubernetesApiCallAction?.userAgent),
    errorCode: clean(apiCall?.errorCode),
    instanceId,
    partition: partition !== undefined && PARTITION.test(partition) ? partition : partitionOfRegion(region),
    sample: finding.service?.additionalInfo?.sample === true ? true : undefined,
  };
  return compact(signal);
}

type AccessKeyDetails = NonNullable<NonNullable<ParsedGuardDutyFinding['resource']>['accessKeyDetails']>;

function resolveGuardDutyPrincipal(details: AccessKeyDetails, what: string): Principal | Refusal {
  const rawType = clean(details.userType);
  const userName = clean(details.userName);
  const principalId = clean(details.principalId);
  const common = { principalId, rawType };
  switch (rawType) {
    case 'IAMUser':
      return { type: 'IAMUser', ...common, userName };
    case 'Root':
      return { type: 'Root', ...common };
    case 'AssumedRole':
      // GuardDuty gives the role's name as userName, and the session in principalId (ROLEID:session).
      return {
        type: isIdentityCenterRole(userName, undefined) ? 'IdentityCenterUser' : 'AssumedRole',
        ...common,
        roleName: userName,
        sessionName: afterColon(principalId),
      };
    case 'FederatedUser':
      // GuardDuty's userName for a federated session is not documented to be the issuing IAM user,
      // and the federated name is the caller's choice: it is not reported as an IAM user name.
      return { type: 'FederatedUser', ...common, sessionName: afterColon(principalId) };
    case 'AWSAccount':
      return { type: 'AWSAccount', ...common };
    case 'AWSService':
      return {
        reason: 'aws-service-principal',
        message:
          `${what} names an AWS service principal (userType AWSService, principalId ${quote(principalId)}, ` +
          `userName ${quote(userName)}): not a credential Cordon can contain`,
      };
    default:
      return { type: 'Unknown', ...common, userName };
  }
}

type RemoteIpDetails = { ipAddressV4?: string | undefined; ipAddressV6?: string | undefined } | undefined;

function ipOf(...candidates: RemoteIpDetails[]): string | undefined {
  for (const candidate of candidates) {
    const ip = clean(candidate?.ipAddressV4) ?? clean(candidate?.ipAddressV6);
    if (ip !== undefined) return ip;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

const PLACEHOLDER = /^<[^<>]*>$/;
const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const PARTITION = /^aws(?:-[a-z]+)*$/;
const ARN = /^arn:(aws(?:-[a-z]+)*):([^:]*):([^:]*):([^:]*):(.+)$/;
const TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Trimmed; empty strings and angle-bracketed placeholders ("<Attacker source IP>") are absent. */
function clean(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || PLACEHOLDER.test(trimmed) ? undefined : trimmed;
}

/** ISO 8601 as given; a time without a zone is UTC (CloudTrail and GuardDuty write UTC). */
function timeOf(value: unknown): string | undefined {
  const given = clean(value);
  if (given === undefined) return undefined;
  const match = TIME.exec(given);
  if (match === null) return undefined;
  const [, date, clock, fraction, zone] = match;
  const offset =
    zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const iso = `${date}T${clock}${fraction === undefined ? '' : fraction.slice(0, 4)}${offset}`;
  return Number.isFinite(Date.parse(iso)) ? iso : undefined;
}

function firstTime(...values: unknown[]): string | undefined {
  for (const value of values) {
    const time = timeOf(value);
    if (time !== undefined) return time;
  }
  return undefined;
}

function firstRegion(...values: unknown[]): string | undefined {
  for (const value of values) {
    const region = clean(value);
    if (region !== undefined && REGION.test(region)) return region;
  }
  return undefined;
}

function accountIdOf(value: unknown): string | undefined {
  const account = clean(value);
  return account !== undefined && ACCOUNT_ID.test(account) ? account : undefined;
}

function credentialKindOf(accessKeyId: string | undefined, isConsoleSignIn: boolean): CredentialKind {
  if (accessKeyId === undefined) return isConsoleSignIn ? 'none' : 'unknown';
  if (accessKeyId.startsWith('AKIA')) return 'long-term';
  if (accessKeyId.startsWith('ASIA')) return 'temporary';
  return 'unknown';
}

function booleanOf(value: string | boolean | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = value?.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

function yesNoOf(value: string | undefined): boolean | undefined {
  const text = value?.trim().toLowerCase();
  return text === 'yes' ? true : text === 'no' ? false : undefined;
}

interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string | undefined;
  readonly resource: string;
}

function parseArn(value: string | undefined): Arn | undefined {
  const match = value === undefined ? null : ARN.exec(value);
  if (match === null) return undefined;
  const [, partition, service, region, account, resource] = match;
  return { partition, service, region, account: ACCOUNT_ID.test(account) ? account : undefined, resource };
}

/** The name at the end of an ARN of the given resource kind: user/path/NAME, role/path/NAME. */
function arnName(arn: Arn | undefined, kind: string): string | undefined {
  if (arn === undefined || !arn.resource.startsWith(`${kind}/`)) return undefined;
  return clean(arn.resource.slice(arn.resource.lastIndexOf('/') + 1));
}

/** assumed-role/ROLE/SESSION (a session name cannot hold a slash, a role name in this ARN has no path). */
function assumedRoleParts(arn: Arn | undefined): { roleName?: string; sessionName?: string } | undefined {
  if (arn === undefined || !arn.resource.startsWith('assumed-role/')) return undefined;
  const [, roleName, ...session] = arn.resource.split('/');
  return { roleName: clean(roleName), sessionName: clean(session.join('/')) };
}

function afterColon(principalId: string | undefined): string | undefined {
  if (principalId === undefined) return undefined;
  const colon = principalId.indexOf(':');
  return colon < 0 ? undefined : clean(principalId.slice(colon + 1));
}

function isIdentityCenterRole(roleName: string | undefined, roleArn: string | undefined): boolean {
  return (
    (roleName?.startsWith('AWSReservedSSO_') ?? false) ||
    (roleArn?.includes(':role/aws-reserved/sso.amazonaws.com/') ?? false)
  );
}

function partitionOfArn(arn: string | undefined): string | undefined {
  return parseArn(arn)?.partition;
}

/** The partition a region belongs to (documented fixed prefixes). */
function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function reject(reason: RejectionReason, message: string, eventId?: string): Rejection {
  return eventId === undefined
    ? { kind: 'rejection', reason, message }
    : { kind: 'rejection', reason, message, eventId };
}

function fieldProblem(field: string, given: unknown, expected: string): string {
  const value = typeof given === 'string' ? given.trim() : given;
  if (value === undefined || value === null || value === '') return `${field} is absent`;
  if (typeof value === 'string' && PLACEHOLDER.test(value))
    return `${field} is a placeholder (${quote(value)})`;
  return `${field} ${typeof value === 'string' ? quote(value) : `(${kindOf(value)})`} is not ${expected}`;
}

function missingFields(what: string, problems: readonly (string | undefined)[]): string {
  const listed = problems.filter((problem): problem is string => problem !== undefined);
  return `${what}: ${listed.join('; ')} (also looked for it in the EventBridge envelope); a Signal needs a time, a region and an account`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(value: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  switch (typeof value) {
    case 'string':
      return `a string (${quote(value)})`;
    case 'number':
      return `a number (${String(value)})`;
    case 'boolean':
      return `a boolean (${String(value)})`;
    case 'undefined':
      return 'undefined';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

function quote(value: string | undefined): string {
  if (value === undefined) return 'absent';
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'an error that cannot be printed';
  }
}

/** Drops keys whose value is undefined, here and in the principal, so a Signal prints cleanly. */
function compact(signal: Signal): Signal {
  return { ...dropUndefined(signal), principal: dropUndefined(signal.principal) };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
