import type { Response } from '../config/schema';

/**
 * An EventBridge event pattern, as EventBridge takes it: nested objects of field names whose leaves
 * are arrays of values or of matcher objects (prefix, anything-but, numeric, exists, cidr, wildcard,
 * equals-ignore-case, suffix), plus `$or`.
 */
export type EventPattern = { readonly [field: string]: EventPatternValue };
export type EventPatternValue = readonly PatternLeaf[] | EventPattern | readonly EventPattern[];
export type PatternLeaf = string | number | boolean | null | { readonly [matcher: string]: unknown };

export type DetectionSeverity = 'low' | 'medium' | 'high' | 'critical';

/**
 * An event as EventBridge delivers it to a rule target: the envelope fields, and `detail` (the CloudTrail
 * record or the GuardDuty finding). Only what the envelope guarantees is typed; `detail` is read defensively.
 */
export interface EventBridgeEvent {
  readonly version?: unknown;
  readonly id?: unknown;
  readonly 'detail-type'?: unknown;
  readonly source?: unknown;
  readonly account?: unknown;
  readonly time?: unknown;
  readonly region?: unknown;
  readonly resources?: unknown;
  readonly detail?: unknown;
  readonly [field: string]: unknown;
}

/** Values from the config that patterns depend on. */
export interface DetectionContext {
  readonly guardDutySeverityThreshold: number;
  readonly honeytokenAccessKeyIds: readonly string[];
  readonly unusualInstanceTypePrefixes: readonly string[];
}

export interface Detection {
  /** Stable, kebab-case: used in rule names, config overrides, SNS attributes and docs. */
  readonly id: string;
  readonly title: string;
  readonly severity: DetectionSeverity;
  readonly source: 'cloudtrail' | 'guardduty';
  readonly defaultResponse: Response;
  /** Why the behaviour is suspicious, and why the default response. */
  readonly rationale: string;
  /** MITRE ATT&CK technique id, e.g. T1098.001. */
  readonly mitre: string;
  /** True when the rule must see read-only management events (honeytoken use). */
  readonly includesReadOnlyEvents?: boolean;
  /** The EventBridge pattern, before Cordon's own roles are excluded. Null when the config leaves nothing to match. */
  pattern(context: DetectionContext): EventPattern | null;
  /**
   * A condition no EventBridge pattern can express (a field compared with another, a JSON policy document
   * inside a string, ...). The rule delivers the pattern's superset; the local matcher keeps only the events
   * for which this returns true. Called only on events that match the pattern; never throws.
   */
  refine?(event: EventBridgeEvent, context: DetectionContext): boolean;
  /** What `refine` keeps, in words (for the docs); present exactly when `refine` is. */
  readonly refinement?: string;
}
