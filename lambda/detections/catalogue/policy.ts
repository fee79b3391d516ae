/**
 * Reading IAM and resource policy documents inside CloudTrail records, for `refine`: IAM writes the
 * document as a JSON string (URL-encoded when the caller used the query API), S3 as an object. Every
 * function takes unknown input and never throws.
 */
import { asList, isRecord, text } from './shared';

type Statement = Readonly<Record<string, unknown>>;

function parseJsonObject(value: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function urlDecoded(value: string, plusIsSpace: boolean): string | undefined {
  try {
    return decodeURIComponent(plusIsSpace ? value.replace(/\+/g, ' ') : value);
  } catch {
    return undefined;
  }
}

/** The policy document as an object: given as one, as JSON text, or as URL-encoded JSON text. */
export function policyDocument(value: unknown): Readonly<Record<string, unknown>> | undefined {
  if (isRecord(value)) return value;
  const raw = text(value)?.trim();
  if (!raw) return undefined;
  const candidates = [raw, urlDecoded(raw, false), urlDecoded(raw, true)];
  for (const candidate of candidates) {
    const parsed = candidate === undefined ? undefined : parseJsonObject(candidate.trim());
    if (parsed) return parsed;
  }
  return undefined;
}

/** The statements of a document (`Statement` may be one object or a list). */
export function statements(document: Readonly<Record<string, unknown>> | undefined): readonly Statement[] {
  return asList(document?.Statement).filter(isRecord);
}

function isAllow(statement: Statement): boolean {
  return statement.Effect === 'Allow';
}

/** True when the value is "*" or a list holding "*". */
export function hasWildcard(value: unknown): boolean {
  return asList(value).some((entry) => entry === '*');
}

/** Allow, Action "*" and Resource "*": the statement grants everything. */
export function allowsEverything(statement: Statement): boolean {
  return isAllow(statement) && hasWildcard(statement.Action) && hasWildcard(statement.Resource);
}

/** Principal "*" or {"AWS": "*"} (also in a list): anyone, signed or anonymous. */
export function hasPublicPrincipal(statement: Statement): boolean {
  const principal = statement.Principal;
  return principal === '*' || (isRecord(principal) && hasWildcard(principal.AWS));
}

/**
 * Condition keys that tie a grant to known callers or networks: with a fixed value, S3 does not consider
 * the policy public (Amazon S3 user guide, "The meaning of public"). Lower case: keys are case-insensitive.
 */
const RESTRICTING_CONDITION_KEYS: ReadonlySet<string> = new Set([
  'aws:sourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:userid',
  's3:dataaccesspointaccount',
  's3:dataaccesspointarn',
]);

function restrictingValue(key: string, value: unknown): boolean {
  if (typeof value !== 'string' || value === '' || value.includes('*')) return false;
  return key !== 'aws:sourceip' || !value.endsWith('/0');
}

/**
 * True when the statement's Condition restricts it to known callers: some positive operator (not a
 * negated one, not ...IfExists, which passes when the key is absent, as on anonymous requests) on a
 * restricting key, with only fixed values (no wildcard, no /0 network).
 */
export function hasRestrictingCondition(statement: Statement): boolean {
  const condition = statement.Condition;
  if (!isRecord(condition)) return false;
  return Object.entries(condition).some(([rawOperator, entries]) => {
    const operator = rawOperator.replace(/^For(Any|All)Value:/, '');
    if (/^(StringNot|ArnNot|NotIp)/.test(operator) || operator.endsWith('IfExists') || !isRecord(entries)) {
      return false;
    }
    return Object.entries(entries).some(([rawKey, values]) => {
      const key = rawKey.toLowerCase();
      const list = asList(values);
      return (
        RESTRICTING_CONDITION_KEYS.has(key) &&
        list.length > 0 &&
        list.every((value) => restrictingValue(key, value))
      );
    });
  });
}

/** Allow to a public principal with no restricting condition. */
export function grantsPublicAccess(statement: Statement): boolean {
  return isAllow(statement) && hasPublicPrincipal(statement) && !hasRestrictingCondition(statement);
}

/** Allow to "*" or to any AWS principal (account, user or role), i.e. not only to a service or an IdP. */
export function trustsAwsPrincipals(statement: Statement): boolean {
  const principal = statement.Principal;
  return isAllow(statement) && (principal === '*' || (isRecord(principal) && principal.AWS !== undefined));
}
