/**
 * What the sweep itself reads, beside the actions it runs (whose grants come from the action
 * registry): the attacker's timeline and the account's enabled regions. Neither has a resource
 * narrower than `*`.
 */
import type { ActionModule } from '../actions/types';
import { ENABLED_REGIONS_PERMISSIONS } from './regions';

export const SWEEP_READS: ActionModule = {
  action: 'read-timeline',
  permissions: ['cloudtrail:LookupEvents', ...ENABLED_REGIONS_PERMISSIONS],
  restorePermissions: [],
  resources: ['*'],
};
