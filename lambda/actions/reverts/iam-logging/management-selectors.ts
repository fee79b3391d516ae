/**
 * Whether a trail's event selectors log every management event (read and write), and the
 * selectors that do again with every data-event selector kept. Pure: the event-selector reverter
 * judges the attacker's request and the trail's current selectors with the same rule.
 *
 * Management events are fully logged by a basic selector with `IncludeManagementEvents` true (the
 * default) and `ReadWriteType` All (the default), or by an advanced selector with `eventCategory`
 * Equals `Management` and no `readOnly` field selector.
 */
import type { AdvancedEventSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import { z } from 'zod';
import { at, itemsOf } from '../record-fields';
import type { JsonObject } from '../types';

/** A trail's selectors as GetEventSelectors gives them (one kind is in use; the other is empty). */
export interface TrailSelectors {
  readonly EventSelectors: EventSelector[];
  readonly AdvancedEventSelectors: AdvancedEventSelector[];
}

const strings = z.array(z.string()).optional();

/** The recorded selectors (a revert's `before`), as they come back from the plan in S3. */
export const trailSelectorsSchema = z.object({
  EventSelectors: z.array(
    z.object({
      ReadWriteType: z.enum(['ReadOnly', 'WriteOnly', 'All']).optional(),
      IncludeManagementEvents: z.boolean().optional(),
      DataResources: z.array(z.object({ Type: z.string().optional(), Values: strings })).optional(),
      ExcludeManagementEventSources: strings,
    }),
  ),
  AdvancedEventSelectors: z.array(
    z.object({
      Name: z.string().optional(),
      FieldSelectors: z.array(
        z.object({
          Field: z.string(),
          Equals: strings,
          StartsWith: strings,
          EndsWith: strings,
          NotEquals: strings,
          NotStartsWith: strings,
          NotEndsWith: strings,
        }),
      ),
    }),
  ),
});

/** The selectors as plain JSON (`before`): only the fields the API takes back, empty lists where absent. */
export function selectorsJson(selectors: Partial<TrailSelectors>): JsonObject {
  return JSON.parse(
    JSON.stringify({
      EventSelectors: selectors.EventSelectors ?? [],
      AdvancedEventSelectors: (selectors.AdvancedEventSelectors ?? []).map((selector) => ({
        ...(selector.Name !== undefined ? { Name: selector.Name } : {}),
        FieldSelectors: selector.FieldSelectors ?? [],
      })),
    }),
  ) as JsonObject;
}

const MANAGEMENT = 'Management';

function isManagementSelector(selector: AdvancedEventSelector): boolean {
  return (selector.FieldSelectors ?? []).some(
    (field) => field.Field === 'eventCategory' && (field.Equals ?? []).includes(MANAGEMENT),
  );
}

function logsEveryManagementEvent(selector: AdvancedEventSelector): boolean {
  return (
    isManagementSelector(selector) &&
    !(selector.FieldSelectors ?? []).some((field) => field.Field === 'readOnly')
  );
}

function isAllManagement(selector: EventSelector): boolean {
  return selector.IncludeManagementEvents !== false && (selector.ReadWriteType ?? 'All') === 'All';
}

/** Whether the selectors log every management event, read and write. */
export function logsAllManagementEvents(selectors: Partial<TrailSelectors>): boolean {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) return advanced.some(logsEveryManagementEvent);
  return (selectors.EventSelectors ?? []).some(isAllManagement);
}

/** The advanced selector that logs every management event. */
export const MANAGEMENT_EVENTS_SELECTOR: AdvancedEventSelector = {
  Name: 'Management events',
  FieldSelectors: [{ Field: 'eventCategory', Equals: [MANAGEMENT] }],
};

/**
 * Selectors that log every management event again: every data-event selector as it was, the
 * weakened management part replaced. Basic: one selector with management events All (keeping the
 * exclusions the old one had), and the data selectors with their data resources and read/write
 * type as they were (their management part now covered by that one). Advanced: the non-management
 * selectors as they were, the weakened management selectors replaced by MANAGEMENT_EVENTS_SELECTOR.
 */
export function withManagementEvents(selectors: Partial<TrailSelectors>): Partial<TrailSelectors> {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) {
    return {
      AdvancedEventSelectors: [
        ...advanced.filter((selector) => !isManagementSelector(selector)),
        MANAGEMENT_EVENTS_SELECTOR,
      ],
    };
  }
  const basic = selectors.EventSelectors ?? [];
  const management = basic.find((selector) => selector.IncludeManagementEvents !== false);
  const data = basic.filter((selector) => (selector.DataResources ?? []).length > 0);
  return {
    EventSelectors: [
      {
        ReadWriteType: 'All',
        IncludeManagementEvents: true,
        DataResources: [],
        ExcludeManagementEventSources: management?.ExcludeManagementEventSources ?? [],
      },
      ...data.map((selector) => ({
        ...selector,
        IncludeManagementEvents: false,
        ExcludeManagementEventSources: [],
      })),
    ],
  };
}

function stringList(value: unknown): string[] | undefined {
  const list = itemsOf(value).filter((item): item is string => typeof item === 'string');
  return value === undefined || value === null ? undefined : list;
}

function readWriteTypeOf(value: unknown): EventSelector['ReadWriteType'] {
  return value === 'ReadOnly' || value === 'WriteOnly' || value === 'All' ? value : undefined;
}

function basicOfRecord(value: unknown): EventSelector {
  const include = at(value, 'includeManagementEvents');
  const exclusions = stringList(at(value, 'excludeManagementEventSources'));
  return {
    ReadWriteType: readWriteTypeOf(at(value, 'readWriteType')),
    IncludeManagementEvents: typeof include === 'boolean' ? include : include === 'false' ? false : undefined,
    DataResources: itemsOf(at(value, 'dataResources')).map((resource) => {
      const type = at(resource, 'type');
      return {
        Type: typeof type === 'string' ? type : undefined,
        Values: stringList(at(resource, 'values')) ?? [],
      };
    }),
    ...(exclusions ? { ExcludeManagementEventSources: exclusions } : {}),
  };
}

function advancedOfRecord(value: unknown): AdvancedEventSelector {
  const name = at(value, 'name');
  return {
    ...(typeof name === 'string' ? { Name: name } : {}),
    FieldSelectors: itemsOf(at(value, 'fieldSelectors')).map((field) => {
      const fieldName = at(field, 'field');
      const list = (operator: string) => stringList(at(field, operator));
      return {
        Field: typeof fieldName === 'string' ? fieldName : undefined,
        Equals: list('equals'),
        StartsWith: list('startsWith'),
        EndsWith: list('endsWith'),
        NotEquals: list('notEquals'),
        NotStartsWith: list('notStartsWith'),
        NotEndsWith: list('notEndsWith'),
      };
    }),
  };
}

/**
 * The selectors a PutEventSelectors record set (its request, else its response), in the SDK's
 * shape; undefined when the record names none.
 */
export function selectorsOfRecord(
  requestParameters: unknown,
  responseElements: unknown,
): Partial<TrailSelectors> | undefined {
  for (const source of [requestParameters, responseElements]) {
    const advanced = at(source, 'advancedEventSelectors');
    const basic = at(source, 'eventSelectors');
    if (advanced !== undefined && advanced !== null)
      return { AdvancedEventSelectors: itemsOf(advanced).map(advancedOfRecord) };
    if (basic !== undefined && basic !== null) return { EventSelectors: itemsOf(basic).map(basicOfRecord) };
  }
  return undefined;
}
