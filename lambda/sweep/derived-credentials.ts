/**
 * Credentials the attacker made with the credentials being swept: keys of sessions it started
 * (AssumeRole, GetSessionToken, GetFederationToken) and access keys it created. Each is swept in
 * turn, to `sweep.derivedCredentialDepth` hops, and a role it assumed has its older sessions
 * revoked. Read from the CloudTrail records of its timeline; pure.
 */
import { at, basicsOf, stringAt } from '../actions/reverts/record-fields';
import type { CloudTrailRecord } from '../actions/reverts/types';

export interface DerivedCredential {
  /** The new key: ASIA… for a session, AKIA… for a created access key. */
  readonly accessKeyId: string;
  /** How it was made, for the report: `AssumeRole 1a2b… (us-east-1)`. */
  readonly via: string;
  /** The call that made it. */
  readonly eventName: 'AssumeRole' | 'GetSessionToken' | 'GetFederationToken' | 'CreateAccessKey';
  readonly eventTime: string;
  /** AssumeRole: the role whose session it is. */
  readonly role?: { readonly name: string; readonly arn: string };
  /** CreateAccessKey, GetFederationToken: the user whose permissions the key carries. */
  readonly userName?: string;
}

const SESSION_CALLS = ['AssumeRole', 'GetSessionToken', 'GetFederationToken'] as const;

/** The role's name from its ARN (`arn:aws:iam::123456789012:role/path/name` gives `name`). */
export function roleNameOfArn(arn: string): string | undefined {
  const resource = arn.split(':')[5];
  if (!resource?.startsWith('role/')) return undefined;
  return resource.split('/').pop() || undefined;
}

/** The credential the record made, if it made one. */
export function derivedCredentialOf(record: CloudTrailRecord): DerivedCredential | undefined {
  const basics = basicsOf(record);
  if (!basics) return undefined;
  const via = `${basics.eventName} ${basics.eventId} (${basics.region})`;
  if (
    basics.eventSource === 'sts.amazonaws.com' &&
    (SESSION_CALLS as readonly string[]).includes(basics.eventName)
  ) {
    const accessKeyId = stringAt(record.responseElements, 'credentials', 'accessKeyId');
    if (!accessKeyId) return undefined;
    const eventName = basics.eventName as (typeof SESSION_CALLS)[number];
    if (eventName === 'AssumeRole') {
      const arn = stringAt(record.requestParameters, 'roleArn');
      const name = arn ? roleNameOfArn(arn) : undefined;
      return {
        accessKeyId,
        via,
        eventName,
        eventTime: basics.eventTime,
        ...(arn && name ? { role: { name, arn } } : {}),
      };
    }
    const userName = stringAt(record.userIdentity, 'userName');
    return { accessKeyId, via, eventName, eventTime: basics.eventTime, ...(userName ? { userName } : {}) };
  }
  if (basics.eventSource === 'iam.amazonaws.com' && basics.eventName === 'CreateAccessKey') {
    const key = at(record.responseElements, 'accessKey');
    const accessKeyId = stringAt(key, 'accessKeyId');
    if (!accessKeyId) return undefined;
    const userName = stringAt(key, 'userName') ?? stringAt(record.requestParameters, 'userName');
    return {
      accessKeyId,
      via,
      eventName: 'CreateAccessKey',
      eventTime: basics.eventTime,
      ...(userName ? { userName } : {}),
    };
  }
  return undefined;
}

/** A principal the attacker created, to be contained: `CreateUser`, `CreateRole`. */
export type CreatedPrincipal =
  | { readonly kind: 'user'; readonly userName: string; readonly eventId: string }
  | { readonly kind: 'role'; readonly roleName: string; readonly eventId: string };

export function createdPrincipalOf(record: CloudTrailRecord): CreatedPrincipal | undefined {
  const basics = basicsOf(record);
  if (!basics || basics.eventSource !== 'iam.amazonaws.com') return undefined;
  if (basics.eventName === 'CreateUser') {
    const userName =
      stringAt(record.requestParameters, 'userName') ?? stringAt(record.responseElements, 'user', 'userName');
    return userName ? { kind: 'user', userName, eventId: basics.eventId } : undefined;
  }
  if (basics.eventName === 'CreateRole') {
    const roleName =
      stringAt(record.requestParameters, 'roleName') ?? stringAt(record.responseElements, 'role', 'roleName');
    return roleName ? { kind: 'role', roleName, eventId: basics.eventId } : undefined;
  }
  return undefined;
}
