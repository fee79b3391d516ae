/**
 * The compute reverters: what the attacker started running. Instances it launched stopped (or
 * terminated), the Spot requests and fleets that would launch more cancelled, and functions it
 * created or changed held at reserved concurrency 0.
 */
import type { ChangeReverter } from '../types';
import { cancelSpotRequests } from './cancel-spot-requests';
import { holdFunction } from './hold-function';
import { stopLaunchedInstances } from './stop-launched-instances';

export const COMPUTE_REVERTERS: readonly ChangeReverter[] = Object.freeze([
  stopLaunchedInstances,
  cancelSpotRequests,
  holdFunction,
]);
