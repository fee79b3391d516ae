/**
 * The EC2 reverters: ingress rules opened on a security group revoked, EBS snapshots and AMIs shared
 * (or their block public access turned off) closed again.
 */
import type { ChangeReverter } from '../types';
import { removeImagePermission } from './remove-image-permission';
import { removeSnapshotPermission } from './remove-snapshot-permission';
import { revokeIngressRules } from './revoke-ingress-rules';

export const EC2_REVERTERS: readonly ChangeReverter[] = [
  revokeIngressRules,
  removeSnapshotPermission,
  removeImagePermission,
];
