/**
 * The small value readers of the parser: each takes one field as an event gives it and returns it
 * clean, or undefined when it is absent, a placeholder or not what the field must hold. Values are
 * taken as given, never invented. Also how values are shown in messages (`quote`, `kindOf`).
 */
import { parse as parseArnText, validate as isArnText } from '@aws-sdk/util-arn-parser';
import type { CredentialKind } from './signal';

const PLACEHOLDER = /^<[^<>]*>$/;
const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const PARTITION = /^aws(?:-[a-z]+)*$/;
const TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** An angle-bracketed placeholder, as samples write absent values ("<Attacker source IP>"). */
export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/** Trimmed; empty strings and angle-bracketed placeholders ("<Attacker source IP>") are absent. */
export function clean(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || PLACEHOLDER.test(trimmed) ? undefined : trimmed;
}

/** ISO 8601 as given; a time without a zone is UTC (CloudTrail and GuardDuty write UTC). */
export function timeOf(value: unknown): string | undefined {
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

/** The first of the values that is a time. */
export function firstTime(...values: unknown[]): string | undefined {
  for (const value of values) {
    const time = timeOf(value);
    if (time !== undefined) return time;
  }
  return undefined;
}

/** The first of the values that is a region name. */
export function firstRegion(...values: unknown[]): string | undefined {
  for (const value of values) {
    const region = clean(value);
    if (region !== undefined && REGION.test(region)) return region;
  }
  return undefined;
}

/** A 12-digit account id. */
export function accountIdOf(value: unknown): string | undefined {
  const account = clean(value);
  return account !== undefined && ACCOUNT_ID.test(account) ? account : undefined;
}

/** A partition name as ARNs and GuardDuty write it: `aws`, `aws-cn`, `aws-iso-b`, ... */
export function isPartition(text: string): boolean {
  return PARTITION.test(text);
}

/** An EC2 instance id (i- and 8 or 17 hex digits). */
export function isInstanceId(text: string): boolean {
  return INSTANCE_ID.test(text);
}

/** What an access key id says of its credentials: AKIA long-term, ASIA temporary. */
export function credentialKindOf(accessKeyId: string | undefined, isConsoleSignIn: boolean): CredentialKind {
  if (accessKeyId === undefined) return isConsoleSignIn ? 'none' : 'unknown';
  if (accessKeyId.startsWith('AKIA')) return 'long-term';
  if (accessKeyId.startsWith('ASIA')) return 'temporary';
  return 'unknown';
}

/** A boolean, or the string "true"/"false" (CloudTrail writes `mfaAuthenticated` so). */
export function booleanOf(value: string | boolean | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = value?.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** "Yes"/"No" (a console sign-in's `MFAUsed`). */
export function yesNoOf(value: string | undefined): boolean | undefined {
  const text = value?.trim().toLowerCase();
  return text === 'yes' ? true : text === 'no' ? false : undefined;
}

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  /** Absent unless a 12-digit account id. */
  readonly account: string | undefined;
  readonly resource: string;
}

/**
 * An ARN, split by `@aws-sdk/util-arn-parser`; only ARNs of an AWS partition (`aws`, `aws-*`) with
 * a resource, as the parser has always read them.
 */
export function parseArn(value: string | undefined): Arn | undefined {
  if (value === undefined || !isArnText(value)) return undefined;
  const { partition, service, region, accountId, resource } = parseArnText(value);
  if (!PARTITION.test(partition) || resource === '') return undefined;
  return {
    partition,
    service,
    region,
    account: ACCOUNT_ID.test(accountId) ? accountId : undefined,
    resource,
  };
}

/** The partition an ARN names. */
export function partitionOfArn(arn: string | undefined): string | undefined {
  return parseArn(arn)?.partition;
}

/** The name at the end of an ARN of the given resource kind: user/path/NAME, role/path/NAME. */
export function arnName(arn: Arn | undefined, kind: string): string | undefined {
  if (arn === undefined || !arn.resource.startsWith(`${kind}/`)) return undefined;
  return clean(arn.resource.slice(arn.resource.lastIndexOf('/') + 1));
}

/** assumed-role/ROLE/SESSION (a session name cannot hold a slash, a role name in this ARN has no path). */
export function assumedRoleParts(
  arn: Arn | undefined,
): { roleName?: string; sessionName?: string } | undefined {
  if (arn === undefined || !arn.resource.startsWith('assumed-role/')) return undefined;
  const [, roleName, ...session] = arn.resource.split('/');
  return { roleName: clean(roleName), sessionName: clean(session.join('/')) };
}

/** What follows the colon of a principal id (ROLEID:session): the session name. */
export function afterColon(principalId: string | undefined): string | undefined {
  if (principalId === undefined) return undefined;
  const colon = principalId.indexOf(':');
  return colon < 0 ? undefined : clean(principalId.slice(colon + 1));
}

/** A role Identity Center made for a permission set (AWSReservedSSO_*, under aws-reserved/sso.amazonaws.com/). */
export function isIdentityCenterRole(roleName: string | undefined, roleArn: string | undefined): boolean {
  return (
    (roleName?.startsWith('AWSReservedSSO_') ?? false) ||
    (roleArn?.includes(':role/aws-reserved/sso.amazonaws.com/') ?? false)
  );
}

/** A string for a message: JSON-quoted, cut at 80 characters; `absent` for undefined. */
export function quote(value: string | undefined): string {
  if (value === undefined) return 'absent';
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

/** A value's kind for a message: "null", "an array of 3 items", `a string ("x")`, ... */
export function kindOf(value: unknown): string {
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
