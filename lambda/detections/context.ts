/** The part of the configuration that detection patterns depend on. */
import type { CordonConfig } from '../config/schema';
import type { DetectionContext } from './types';

export function detectionContextFromConfig(config: CordonConfig): DetectionContext {
  return {
    guardDutySeverityThreshold: config.guardDutySeverityThreshold,
    honeytokenAccessKeyIds: [...config.honeytokenAccessKeyIds],
    unusualInstanceTypePrefixes: [...config.unusualInstanceTypePrefixes],
  };
}
