import { BlockList, isIP } from 'node:net';
import type { EventPattern } from './types';

/**
 * A local EventBridge event-pattern matcher, with EventBridge's documented semantics
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html):
 *
 * - keys of an object are ANDed; the values of a leaf array are ORed; `$or` (an array of two or more
 *   sub-patterns) ORs whole sub-patterns at any object level;
 * - a leaf value is a string, number, boolean or null in the event; an array in the event matches when any
 *   of its (flattened) elements does; an empty array or an object holds no leaf, so it counts as absent;
 * - a nested pattern applied to an array of objects matches when one element matches the whole nested
 *   pattern (array consistency: fields are never combined across different elements);
 * - `exists: true` matches any leaf, null included; `exists: false` matches only when no leaf is there;
 * - `anything-but` and `numeric` never match an absent field; `anything-but` matches any present leaf that is
 *   not excluded (null, and numbers against string exclusions, included);
 * - `prefix`, `suffix`, `equals-ignore-case`, `wildcard` and `cidr` match strings only; `numeric` matches
 *   JSON numbers only (the string "5" is not a number).
 *
 * Not reproduced: EventBridge's undocumented habit of treating a dot in a key ("a.b") as a path separator.
 *
 * Patterns are compiled once and cached by identity; compiling validates, so an invalid pattern throws.
 */

type Leaf = string | number | boolean | null;
type LeafTest = (value: Leaf) => boolean;
type NodeTest = (node: unknown) => boolean;

/** A compiled pattern: a pure predicate over an event. */
export type CompiledEventPattern = (event: unknown) => boolean;

const MATCHER_KEYS: ReadonlySet<string> = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'cidr',
  'exists',
]);

const NUMERIC_OPERATORS: ReadonlySet<string> = new Set(['=', '<', '<=', '>', '>=']);

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLeaf(value: unknown): value is Leaf {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((element) => typeof element === 'string');
}

/**
 * EventBridge reads `$or` as the OR operator only when its value is an array of at least two objects none of
 * which uses a matcher keyword; otherwise `$or` is an ordinary field name.
 */
function isOrClause(key: string, value: unknown): value is readonly Readonly<Record<string, unknown>>[] {
  return (
    key === '$or' &&
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((element) => isPlainObject(element) && !Object.keys(element).some((k) => MATCHER_KEYS.has(k)))
  );
}

// ---------------------------------------------------------------------------------------------------------
// Wildcards: `*` is any run of characters (possibly empty), `\*` a literal star, `\\` a literal backslash.
// Compiled into literal segments matched left to right: linear, no regular expression, no backtracking.

function wildcardSegments(pattern: string): string[] | string {
  const segments = [''];
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i];
    if (char === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') return `backslash must escape "*" or "\\" (at index ${i})`;
      segments[segments.length - 1] += next;
      i += 1;
    } else if (char === '*') {
      if (pattern[i + 1] === '*') return 'consecutive wildcard characters are not allowed';
      segments.push('');
    } else {
      segments[segments.length - 1] += char;
    }
  }
  return segments;
}

function compileWildcard(pattern: string): (value: string) => boolean {
  const segments = wildcardSegments(pattern);
  if (typeof segments === 'string')
    throw new Error(`invalid wildcard ${JSON.stringify(pattern)}: ${segments}`);
  if (segments.length === 1) {
    const literal = segments[0];
    return (value) => value === literal;
  }
  const first = segments[0];
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((segment) => segment !== '');
  return (value) => {
    const end = value.length - last.length;
    if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
    let position = first.length;
    for (const segment of middle) {
      const found = value.indexOf(segment, position);
      if (found < 0 || found + segment.length > end) return false;
      position = found + segment.length;
    }
    return true;
  };
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses and CIDR blocks (IPv4 and IPv6): Node's own parser (`net.isIP`) and matcher
// (`net.BlockList`). An address matches a block of its own family only, as EventBridge does.

interface Cidr {
  readonly family: 'ipv4' | 'ipv6';
  readonly block: BlockList;
}

const familyOf = (address: string): Cidr['family'] | undefined => {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
};

function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = familyOf(address);
  if (family === undefined || address.includes('%')) return undefined;
  const bits = family === 'ipv4' ? 32 : 128;
  let length = bits;
  if (slash >= 0) {
    const lengthText = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(lengthText)) return undefined;
    length = Number(lengthText);
    if (length > bits) return undefined;
  }
  const block = new BlockList();
  block.addSubnet(address, length, family);
  return { family, block };
}

function inCidr(cidr: Cidr, text: string): boolean {
  if (familyOf(text) !== cidr.family || text.includes('%')) return false;
  return cidr.block.check(text, cidr.family);
}

// ---------------------------------------------------------------------------------------------------------
// Validation: every problem, with its path, in words.

function numericProblem(operands: unknown): string | undefined {
  if (!Array.isArray(operands) || (operands.length !== 2 && operands.length !== 4)) {
    return 'numeric must be an array of one or two [operator, number] pairs, e.g. [">", 0, "<=", 5]';
  }
  for (let i = 0; i < operands.length; i += 2) {
    const operator: unknown = operands[i];
    const operand: unknown = operands[i + 1];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.has(operator)) {
      return `numeric operator ${JSON.stringify(operator)} is not one of = < <= > >=`;
    }
    if (typeof operand !== 'number' || !Number.isFinite(operand)) {
      return `numeric operand ${JSON.stringify(operand)} after "${operator}" must be a number`;
    }
  }
  if (operands.length === 4) {
    const [firstOp, first, secondOp, second] = operands as [string, number, string, number];
    const isLower = (op: string): boolean => op === '>' || op === '>=';
    const isUpper = (op: string): boolean => op === '<' || op === '<=';
    const lowerFirst = isLower(firstOp) && isUpper(secondOp);
    if (!lowerFirst && !(isUpper(firstOp) && isLower(secondOp))) {
      return 'a numeric range must be one lower bound (> or >=) and one upper bound (< or <=)';
    }
    const [low, high] = lowerFirst ? [first, second] : [second, first];
    if (low >= high) return `numeric range is empty: lower bound ${low} is not below upper bound ${high}`;
  }
  return undefined;
}

function stringOrStringsProblem(name: string, value: unknown, allowEmpty: boolean): string | undefined {
  const values =
    typeof value === 'string' ? [value] : isStringArray(value) && value.length > 0 ? value : undefined;
  if (values === undefined) return `${name} must be a string or a non-empty array of strings`;
  if (!allowEmpty && values.includes('')) return `${name} must not be empty`;
  if (name.endsWith('wildcard')) {
    for (const v of values) {
      const segments = wildcardSegments(v);
      if (typeof segments === 'string') return `${name} ${JSON.stringify(v)}: ${segments}`;
    }
  }
  return undefined;
}

function anythingButProblem(value: unknown): string | undefined {
  if (typeof value === 'string') return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : 'anything-but number must be finite';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'anything-but list must not be empty';
    const strings = value.every((v) => typeof v === 'string');
    const numbers = value.every((v) => typeof v === 'number' && Number.isFinite(v));
    return strings || numbers ? undefined : 'anything-but list must hold only strings or only numbers';
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length !== 1) return 'anything-but object must have exactly one key';
    const key = keys[0];
    const inner = value[key];
    switch (key) {
      case 'prefix':
      case 'suffix':
        return stringOrStringsProblem(`anything-but ${key}`, inner, false);
      case 'equals-ignore-case':
      case 'wildcard':
        return stringOrStringsProblem(`anything-but ${key}`, inner, true);
      default:
        return `anything-but does not support ${JSON.stringify(key)} (only prefix, suffix, equals-ignore-case, wildcard)`;
    }
  }
  return 'anything-but must be a string, a number, a list of strings or of numbers, or {prefix|suffix|equals-ignore-case|wildcard}';
}

function matcherProblem(matcher: Readonly<Record<string, unknown>>): string | undefined {
  const keys = Object.keys(matcher);
  if (keys.length !== 1) return `a matcher object must have exactly one key, found ${JSON.stringify(keys)}`;
  const key = keys[0];
  const value = matcher[key];
  switch (key) {
    case 'exists':
      return typeof value === 'boolean' ? undefined : 'exists must be true or false';
    case 'prefix':
    case 'suffix':
      if (typeof value === 'string') return undefined;
      if (
        isPlainObject(value) &&
        Object.keys(value).length === 1 &&
        typeof value['equals-ignore-case'] === 'string'
      ) {
        return undefined;
      }
      return `${key} must be a string or {"equals-ignore-case": string}`;
    case 'equals-ignore-case':
      return typeof value === 'string' ? undefined : 'equals-ignore-case must be a string';
    case 'wildcard': {
      if (typeof value !== 'string') return 'wildcard must be a string';
      const segments = wildcardSegments(value);
      return typeof segments === 'string' ? `wildcard ${JSON.stringify(value)}: ${segments}` : undefined;
    }
    case 'cidr':
      return typeof value === 'string' && parseCidr(value) !== undefined
        ? undefined
        : `cidr ${JSON.stringify(value)} is not an IPv4 or IPv6 CIDR block`;
    case 'numeric':
      return numericProblem(value);
    case 'anything-but':
      return anythingButProblem(value);
    default:
      return `unknown matcher ${JSON.stringify(key)}`;
  }
}

function validateObject(pattern: Readonly<Record<string, unknown>>, path: string, problems: string[]): void {
  const keys = Object.keys(pattern);
  if (keys.length === 0) problems.push(`${path || 'pattern'}: empty objects are not allowed`);
  for (const key of keys) {
    const value = pattern[key];
    const at = path ? `${path}.${key}` : key;
    if (isOrClause(key, value)) {
      value.forEach((alternative, i) => validateObject(alternative, `${at}[${i}]`, problems));
    } else if (key === '$or' && Array.isArray(value)) {
      problems.push(
        `${at}: $or must be an array of at least two sub-pattern objects without matcher keywords`,
      );
    } else if (Array.isArray(value)) {
      if (value.length === 0) problems.push(`${at}: empty arrays are not allowed`);
      value.forEach((element: unknown, i) => {
        if (isLeaf(element)) {
          if (typeof element === 'number' && !Number.isFinite(element)) {
            problems.push(`${at}[${i}]: numbers must be finite`);
          }
        } else if (isPlainObject(element)) {
          const problem = matcherProblem(element);
          if (problem) problems.push(`${at}[${i}]: ${problem}`);
        } else {
          problems.push(`${at}[${i}]: must be a string, number, boolean, null or matcher object`);
        }
      });
    } else if (isPlainObject(value)) {
      validateObject(value, at, problems);
    } else {
      problems.push(`${at}: must be an object or an array`);
    }
  }
}

/** Every problem with the pattern, in words with its path; empty when it is well-formed by EventBridge's rules. */
export function validateEventPattern(pattern: unknown): string[] {
  if (!isPlainObject(pattern)) return ['pattern: must be a JSON object'];
  const problems: string[] = [];
  validateObject(pattern, '', problems);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Compilation (after validation, so the shapes below hold).

function compileMatcher(matcher: Readonly<Record<string, unknown>>): LeafTest {
  const [key] = Object.keys(matcher);
  const value = matcher[key];
  switch (key) {
    case 'prefix':
    case 'suffix': {
      const ignoreCase = isPlainObject(value);
      const affix = String(ignoreCase ? value['equals-ignore-case'] : value);
      const wanted = ignoreCase ? affix.toLowerCase() : affix;
      const prefix = key === 'prefix';
      return (v) => {
        if (typeof v !== 'string') return false;
        const s = ignoreCase ? v.toLowerCase() : v;
        return prefix ? s.startsWith(wanted) : s.endsWith(wanted);
      };
    }
    case 'equals-ignore-case': {
      const wanted = String(value).toLowerCase();
      return (v) => typeof v === 'string' && v.toLowerCase() === wanted;
    }
    case 'wildcard': {
      const test = compileWildcard(String(value));
      return (v) => typeof v === 'string' && test(v);
    }
    case 'cidr': {
      const cidr = parseCidr(String(value));
      if (cidr === undefined) throw new Error(`invalid cidr ${String(value)}`);
      return (v) => typeof v === 'string' && inCidr(cidr, v);
    }
    case 'numeric': {
      const operands = value as readonly (string | number)[];
      const checks: ((n: number) => boolean)[] = [];
      for (let i = 0; i < operands.length; i += 2) {
        const bound = operands[i + 1] as number;
        switch (operands[i]) {
          case '=':
            checks.push((n) => n === bound);
            break;
          case '<':
            checks.push((n) => n < bound);
            break;
          case '<=':
            checks.push((n) => n <= bound);
            break;
          case '>':
            checks.push((n) => n > bound);
            break;
          default:
            checks.push((n) => n >= bound);
        }
      }
      return (v) => typeof v === 'number' && checks.every((check) => check(v));
    }
    case 'anything-but':
      return compileAnythingBut(value);
    default:
      throw new Error(`unknown matcher ${key}`);
  }
}

function compileAnythingBut(value: unknown): LeafTest {
  if (isPlainObject(value)) {
    const [key] = Object.keys(value);
    const inner = value[key];
    const values = typeof inner === 'string' ? [inner] : (inner as readonly string[]);
    let excluded: (s: string) => boolean;
    switch (key) {
      case 'prefix':
        excluded = (s) => values.some((p) => s.startsWith(p));
        break;
      case 'suffix':
        excluded = (s) => values.some((p) => s.endsWith(p));
        break;
      case 'equals-ignore-case': {
        const lowered = new Set(values.map((p) => p.toLowerCase()));
        excluded = (s) => lowered.has(s.toLowerCase());
        break;
      }
      default: {
        const tests = values.map(compileWildcard);
        excluded = (s) => tests.some((test) => test(s));
      }
    }
    return (v) => typeof v !== 'string' || !excluded(v);
  }
  const excluded = new Set<Leaf>(Array.isArray(value) ? (value as readonly Leaf[]) : [value as Leaf]);
  return (v) => !excluded.has(v);
}

/** A leaf array: exact values in sets, matcher objects as predicates, `exists` as flags. */
function compileLeafField(list: readonly unknown[]): NodeTest {
  const exact = new Set<Leaf>();
  const tests: LeafTest[] = [];
  let matchesAbsent = false;
  let matchesAnyPresent = false;
  for (const element of list) {
    if (isLeaf(element)) {
      exact.add(element);
    } else if (isPlainObject(element) && typeof element.exists === 'boolean') {
      if (element.exists) matchesAnyPresent = true;
      else matchesAbsent = true;
    } else if (isPlainObject(element)) {
      tests.push(compileMatcher(element));
    }
  }
  const testLeaf = (leaf: Leaf): boolean => {
    if (exact.has(leaf)) return true;
    for (const test of tests) if (test(leaf)) return true;
    return false;
  };
  const testArray = (values: readonly unknown[]): boolean | undefined => {
    // undefined: no leaf at all in the array (nested arrays flattened; objects are not leaves)
    let sawLeaf = false;
    for (const element of values) {
      if (Array.isArray(element)) {
        const inner = testArray(element);
        if (inner === true) return true;
        if (inner === false) sawLeaf = true;
      } else if (isLeaf(element)) {
        if (matchesAnyPresent || testLeaf(element)) return true;
        sawLeaf = true;
      }
    }
    return sawLeaf ? false : undefined;
  };
  return (value) => {
    if (isLeaf(value)) return matchesAnyPresent || testLeaf(value);
    if (Array.isArray(value)) return testArray(value) ?? matchesAbsent;
    return matchesAbsent; // absent, or an object (not a leaf)
  };
}

function collectObjects(values: readonly unknown[], into: Readonly<Record<string, unknown>>[]): void {
  for (const element of values) {
    if (Array.isArray(element)) collectObjects(element, into);
    else if (isPlainObject(element)) into.push(element);
  }
}

type ObjectTest = (object: Readonly<Record<string, unknown>> | undefined) => boolean;

/**
 * A nested pattern: `undefined` stands for a field that is absent or not an object. Against an array, one
 * object element must match the whole nested pattern (an array without objects counts as absent).
 */
function compileNestedField(test: ObjectTest): NodeTest {
  return (value) => {
    if (typeof value !== 'object' || value === null) return test(undefined);
    if (!Array.isArray(value)) return test(value as Readonly<Record<string, unknown>>);
    const objects: Readonly<Record<string, unknown>>[] = [];
    collectObjects(value, objects);
    if (objects.length === 0) return test(undefined);
    return objects.some(test);
  };
}

/** An object pattern: every key must hold. */
function compileObject(pattern: Readonly<Record<string, unknown>>): ObjectTest {
  const tests: ObjectTest[] = [];
  for (const key of Object.keys(pattern)) {
    const value = pattern[key];
    if (isOrClause(key, value)) {
      const alternatives = value.map(compileObject);
      tests.push((object) => alternatives.some((alternative) => alternative(object)));
      continue;
    }
    const field = Array.isArray(value)
      ? compileLeafField(value)
      : compileNestedField(compileObject(value as Readonly<Record<string, unknown>>));
    tests.push((object) =>
      field(object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined),
    );
  }
  return (object) => {
    for (const test of tests) if (!test(object)) return false;
    return true;
  };
}

const compiled = new WeakMap<object, CompiledEventPattern>();

/**
 * Compiles a pattern into a predicate over events (only JSON objects can match). Throws when the pattern is
 * invalid (see validateEventPattern). Cached by the pattern's identity.
 */
export function compileEventPattern(pattern: EventPattern): CompiledEventPattern {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const problems = validateEventPattern(pattern);
  if (problems.length > 0) throw new Error(`invalid event pattern: ${problems.join('; ')}`);
  const test = compileObject(pattern);
  const predicate: CompiledEventPattern = (event) => isPlainObject(event) && test(event);
  compiled.set(pattern, predicate);
  return predicate;
}

/** True when EventBridge would deliver the event to a rule with this pattern. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}
