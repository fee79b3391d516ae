/**
 * `canonicalJson(value)`: one text per meaning, for hashing and comparing values whose key order
 * may differ (an event hashed into an id, two IAM policy documents). Object keys are sorted (by
 * UTF-16 code unit, as `Array.prototype.sort` does), there is no whitespace, and JSON values give
 * exactly what `JSON.stringify` would give for them once their keys are sorted.
 *
 * Hand-written: Node has no canonical serialiser, and the libraries (fast-json-stable-stringify,
 * safe-stable-stringify) write non-JSON values differently from the form below, which stable
 * ids (and so incident ids) already derive from and must keep. Never throws: a value that is not
 * JSON still gets a text (`undefined`, a non-finite number or a bigint as a string, a symbol or a
 * function as its type's name, a cycle as "[circular]").
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(`${value.toString()}n`);
    case 'undefined':
      return 'undefined';
    case 'symbol':
    case 'function':
      return JSON.stringify(typeof value);
    default:
      break;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.has(object)) return '"[circular]"';
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      return '[' + object.map((item: unknown) => write(item, ancestors)).join(',') + ']';
    }
    const record = object as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return '{' + keys.map((key) => JSON.stringify(key) + ':' + write(record[key], ancestors)).join(',') + '}';
  } finally {
    ancestors.delete(object);
  }
}
