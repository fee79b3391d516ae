/**
 * Which management events a trail's selectors record: read, write, both or neither. Cordon's
 * detections need write events (CreateAccessKey, AuthorizeSecurityGroupIngress, ...) and the
 * honeytoken detection and the sweep need read events too, so a trail counts only when it records
 * both. Pure: the doctor reads the selectors (GetEventSelectors) and asks this.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';

export interface ManagementEventCoverage {
  readonly read: boolean;
  readonly write: boolean;
}

const NONE: ManagementEventCoverage = { read: false, write: false };
const ALL: ManagementEventCoverage = { read: true, write: true };

function union(a: ManagementEventCoverage, b: ManagementEventCoverage): ManagementEventCoverage {
  return { read: a.read || b.read, write: a.write || b.write };
}

/** A basic selector: management events unless IncludeManagementEvents is false (AWS's default is true). */
function basicCoverage(selector: EventSelector): ManagementEventCoverage {
  if (selector.IncludeManagementEvents === false) return NONE;
  switch (selector.ReadWriteType) {
    case 'ReadOnly':
      return { read: true, write: false };
    case 'WriteOnly':
      return { read: false, write: true };
    default:
      return ALL;
  }
}

/** The `readOnly` field of an advanced selector: `Equals ["true"]` is read only, `["false"]` write only. */
function readOnlyCoverage(field: AdvancedFieldSelector | undefined): ManagementEventCoverage {
  if (!field) return ALL;
  const equals = field.Equals ?? [];
  const notEquals = field.NotEquals ?? [];
  const read = (equals.length === 0 || equals.includes('true')) && !notEquals.includes('true');
  const write = (equals.length === 0 || equals.includes('false')) && !notEquals.includes('false');
  return { read, write };
}

/** Fields that select only some management events (by event source, name, ...): they narrow the selector. */
function narrows(field: AdvancedFieldSelector): boolean {
  if (field.Field === 'eventCategory' || field.Field === 'readOnly') return false;
  return Boolean(field.Equals?.length || field.StartsWith?.length || field.EndsWith?.length);
}

/**
 * An advanced selector: management events when `eventCategory` equals `Management`, limited by its
 * `readOnly` field; a selector narrowed to some event sources or names records only part of them
 * and does not count. Exclusions (`NotEquals` on `eventSource`, such as KMS) do count.
 */
function advancedCoverage(selector: AdvancedEventSelector): ManagementEventCoverage {
  const fields = selector.FieldSelectors ?? [];
  const category = fields.find((f) => f.Field === 'eventCategory');
  if (!category?.Equals?.includes('Management')) return NONE;
  if (fields.some(narrows)) return NONE;
  return readOnlyCoverage(fields.find((f) => f.Field === 'readOnly'));
}

/**
 * The management events recorded by a trail's basic or advanced selectors (a trail has one kind).
 * A trail never given selectors (DescribeTrails' `HasCustomEventSelectors` false) records every
 * management event, CloudTrail's default, whether or not GetEventSelectors lists that default.
 */
export function managementEventCoverage(
  selectors: {
    readonly EventSelectors?: readonly EventSelector[];
    readonly AdvancedEventSelectors?: readonly AdvancedEventSelector[];
  },
  hasCustomEventSelectors: boolean,
): ManagementEventCoverage {
  const basic = (selectors.EventSelectors ?? []).map(basicCoverage);
  const advanced = (selectors.AdvancedEventSelectors ?? []).map(advancedCoverage);
  if (basic.length === 0 && advanced.length === 0 && !hasCustomEventSelectors) return ALL;
  return [...basic, ...advanced].reduce(union, NONE);
}
