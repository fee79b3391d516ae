/**
 * Which detections an event matches, locally: the same patterns the rules are deployed with (through the
 * local EventBridge matcher), then each detection's `refine`. Used by the responder Lambda (an event may be
 * delivered by one rule yet match several detections) and by `cordon detect`.
 */
import { matchesEventPattern } from './event-pattern-matcher';
import { DETECTIONS } from './catalogue';
import type { Detection, DetectionContext, EventBridgeEvent, EventPattern } from './types';

/** Patterns built once per context object (the Lambda builds its context once per container). */
const patternCache = new WeakMap<DetectionContext, Map<Detection, EventPattern | null>>();

function patternFor(detection: Detection, context: DetectionContext): EventPattern | null {
  let patterns = patternCache.get(context);
  if (!patterns) {
    patterns = new Map();
    patternCache.set(context, patterns);
  }
  if (!patterns.has(detection)) patterns.set(detection, detection.pattern(context));
  return patterns.get(detection) ?? null;
}

function isReadOnlyManagementEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const detail = (event as { detail?: unknown }).detail;
  return (
    typeof detail === 'object' && detail !== null && (detail as { readOnly?: unknown }).readOnly === true
  );
}

/** The detections whose pattern and refinement match the event, in catalogue order. Never throws on input. */
export function matchDetections(
  event: unknown,
  context: DetectionContext,
  detections: readonly Detection[] = DETECTIONS,
): Detection[] {
  // A rule whose state is ENABLED never receives read-only management events: match as it would.
  const readOnly = isReadOnlyManagementEvent(event);
  return detections.filter((detection) => {
    if (readOnly && !detection.includesReadOnlyEvents) return false;
    const pattern = patternFor(detection, context);
    if (pattern === null || !matchesEventPattern(pattern, event)) return false;
    // matchesEventPattern only matches JSON objects, so the event is one here.
    return detection.refine === undefined || detection.refine(event as EventBridgeEvent, context);
  });
}
