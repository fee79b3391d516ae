import type { CordonConfig, Response } from '../config/schema';
import type { Detection } from './types';

/** Whether the config keeps this detection's rule (`detections.<id>.enabled`, true by default). */
export function isDetectionEnabled(detection: Detection, config: Pick<CordonConfig, 'detections'>): boolean {
  return config.detections[detection.id]?.enabled !== false;
}

/** The response the config asks for this detection, else its default. */
export function effectiveResponse(detection: Detection, config: Pick<CordonConfig, 'detections'>): Response {
  return config.detections[detection.id]?.response ?? detection.defaultResponse;
}
