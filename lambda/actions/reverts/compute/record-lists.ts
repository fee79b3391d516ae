/**
 * The lists of EC2's newer CloudTrail shapes. RunInstances logs `{items: [...]}`; CreateFleet and
 * RequestSpotFleet log their XML answer turned to JSON, where a list is `{item: [...]}`, or
 * `{item: {...}}` when it holds one element, or `""` when it holds none. Each is read as a list.
 */
import { at, itemsOf } from '../record-fields';

export function listOf(value: unknown): readonly unknown[] {
  if (value === '' || value === undefined || value === null) return [];
  const item = at(value, 'item');
  if (item !== undefined) return listOf(item);
  return itemsOf(value);
}

/** The distinct strings of a list that match the pattern (ids: `i-…`, `sir-…`). */
export function idsOf(values: readonly unknown[], pattern: RegExp): readonly string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && pattern.test(v)))];
}
