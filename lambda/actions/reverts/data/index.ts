/**
 * The data reverters: doors the attacker opened to its data, closed again — bucket ACLs and
 * policies opened to everyone, Block Public Access turned off (bucket or account), Lambda function
 * policies opened, RDS snapshots shared.
 */
import type { ChangeReverter } from '../types';
import { restoreAccountPublicAccessBlock } from './account-public-access-block';
import { makeBucketAclPrivate } from './bucket-acl';
import { makeBucketPolicyPrivate } from './bucket-policy';
import { restoreBucketPublicAccessBlock } from './bucket-public-access-block';
import { removeFunctionPermission } from './function-permission';
import { removeRdsSnapshotPermission } from './rds-snapshot-permission';

export const DATA_REVERTERS: readonly ChangeReverter[] = [
  makeBucketAclPrivate,
  makeBucketPolicyPrivate,
  restoreBucketPublicAccessBlock,
  restoreAccountPublicAccessBlock,
  removeFunctionPermission,
  removeRdsSnapshotPermission,
];
