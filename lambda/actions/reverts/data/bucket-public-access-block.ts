/**
 * A bucket's Block Public Access turned off (`DeleteBucketPublicAccessBlock`, or a put with some of
 * the four settings false), turned back on: the settings the event turned off, through S3's
 * bucket calls. A record that names no bucket is the account's (account-public-access-block.ts).
 */
import {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { at, stringAt } from '../record-fields';
import {
  blockChangeOf,
  blockPublicAccessReverter,
  configurationOf,
  NO_CONFIGURATION,
  type BlockStore,
} from './public-access-block';

const ACTION = 'restore-bucket-public-access-block';
const EVENTS = {
  eventSource: 's3.amazonaws.com',
  eventNames: [
    'DeleteBucketPublicAccessBlock',
    'PutBucketPublicAccessBlock',
    'DeletePublicAccessBlock',
    'PutPublicAccessBlock',
  ],
} as const;

export const restoreBucketPublicAccessBlock = blockPublicAccessReverter({
  action: ACTION,
  // DeletePublicAccessBlock on a bucket is authorized as s3:PutBucketPublicAccessBlock.
  permissions: ['s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
  restorePermissions: ['s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
  resources: ['s3:bucket'],
  events: EVENTS,
  summary: "turns a bucket's Block Public Access settings the event turned off back on, keeping the others",
  changesOf(record) {
    const bucket = stringAt(at(record, 'requestParameters'), 'bucketName');
    if (!bucket) return [];
    return blockChangeOf(ACTION, EVENTS, record, () => `bucket/${bucket}`, bucket);
  },
  storeOf(change, clients): BlockStore {
    const s3 = clients.s3(change.region);
    const bucket = change.details.bucket ?? '';
    return {
      name: `bucket ${bucket}`,
      async read() {
        try {
          const answer = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
          return configurationOf(answer.PublicAccessBlockConfiguration);
        } catch (thrown) {
          if (thrown instanceof Error && thrown.name === NO_CONFIGURATION) return null;
          throw thrown;
        }
      },
      put: (configuration) =>
        s3.send(
          new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: configuration }),
        ),
      remove: () => s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket })),
    };
  },
});
