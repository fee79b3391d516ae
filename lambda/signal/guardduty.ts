/**
 * A GuardDuty finding (with or without its EventBridge envelope) as a Signal, or a Rejection that
 * says why it names no principal Cordon can act on.
 */
import { partitionOfRegion } from '../config/regions';
import { stableId } from './envelope';
import { compact, fieldProblem, missingFields, reject, type Refusal } from './results';
import { GuardDutyFindingSchema, type ParsedEnvelope, type ParsedGuardDutyFinding } from './schemas';
import type { ParseResult, Principal, Signal } from './signal';
import {
  accountIdOf,
  afterColon,
  clean,
  credentialKindOf,
  firstRegion,
  firstTime,
  isIdentityCenterRole,
  isPartition,
  quote,
} from './values';

export function parseGuardDuty(
  detail: Record<string, unknown>,
  envelope: ParsedEnvelope | undefined,
): ParseResult {
  const finding = GuardDutyFindingSchema.parse(detail);
  const originId = clean(finding.id);
  const eventId = clean(envelope?.id) ?? originId ?? stableId('guardduty-finding', detail);
  const findingType = clean(finding.type);
  const resourceType = clean(finding.resource?.resourceType);
  const what = `GuardDuty finding ${findingType ?? '(no type)'}${originId ? ` (id ${quote(originId)})` : ''}`;

  const keyDetails = finding.resource?.accessKeyDetails;
  const instanceDetails = finding.resource?.instanceDetails;
  const namedInstanceId = clean(instanceDetails?.instanceId);
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
  } else if (namedInstanceId !== undefined) {
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

  const instanceId = namedInstanceId ?? instanceSessionOf(principal);
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
    instanceProfileArn: clean(instanceDetails?.iamInstanceProfile?.arn),
    partition: partition !== undefined && isPartition(partition) ? partition : partitionOfRegion(region),
    sample: finding.service?.additionalInfo?.sample === true ? true : undefined,
  };
  return compact(signal);
}

/** EC2 names an instance role's session after the instance: `i-` and 8 or 17 hexadecimal digits. */
const INSTANCE_SESSION = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** The instance whose role session this is, when the principal is one (stolen instance credentials). */
function instanceSessionOf(principal: Principal): string | undefined {
  return principal.type === 'AssumedRole' &&
    principal.sessionName !== undefined &&
    INSTANCE_SESSION.test(principal.sessionName)
    ? principal.sessionName
    : undefined;
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
