/**
 * The account's Block Public Access turned off, turned back on: the settings the event turned off,
 * through S3 Control with the account Cordon runs in. CloudTrail records the S3 Control calls
 * (PutPublicAccessBlock, DeletePublicAccessBlock) with event source s3.amazonaws.com and the names
 * PutAccountPublicAccessBlock / DeleteAccountPublicAccessBlock (both name shapes are read); a record
 * whose request names a bucket is a bucket's (bucket-public-access-block.ts).
 */
import {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3-control';
import { at } from '../record-fields';
import {
  blockChangeOf,
  blockPublicAccessReverter,
  configurationOf,
  NO_CONFIGURATION,
  type BlockStore,
} from './public-access-block';

const ACTION = 'restore-account-public-access-block';
const EVENTS = {
  eventSource: 's3.amazonaws.com',
  eventNames: [
    'DeleteAccountPublicAccessBlock',
    'PutAccountPublicAccessBlock',
    'DeletePublicAccessBlock',
    'PutPublicAccessBlock',
  ],
} as const;

export const restoreAccountPublicAccessBlock = blockPublicAccessReverter({
  action: ACTION,
  // S3 Control's account calls are authorized as s3:Get/PutAccountPublicAccessBlock (the delete too),
  // on no resource narrower than "*".
  permissions: ['s3:GetAccountPublicAccessBlock', 's3:PutAccountPublicAccessBlock'],
  restorePermissions: ['s3:GetAccountPublicAccessBlock', 's3:PutAccountPublicAccessBlock'],
  resources: ['*'],
  events: EVENTS,
  summary:
    "turns the account's Block Public Access settings the event turned off back on, keeping the others",
  changesOf(record) {
    if (at(record, 'requestParameters', 'bucketName') !== undefined) return [];
    return blockChangeOf(
      ACTION,
      EVENTS,
      record,
      (basics) => `account-public-access-block/${basics.accountId ?? 'this-account'}`,
      null,
    );
  },
  storeOf(change, clients, accountId): BlockStore {
    const s3control = clients.s3control(change.region);
    return {
      name: `account ${accountId}`,
      async read() {
        try {
          const answer = await s3control.send(new GetPublicAccessBlockCommand({ AccountId: accountId }));
          return configurationOf(answer.PublicAccessBlockConfiguration);
        } catch (thrown) {
          if (thrown instanceof Error && thrown.name === NO_CONFIGURATION) return null;
          throw thrown;
        }
      },
      put: (configuration) =>
        s3control.send(
          new PutPublicAccessBlockCommand({
            AccountId: accountId,
            PublicAccessBlockConfiguration: configuration,
          }),
        ),
      remove: () => s3control.send(new DeletePublicAccessBlockCommand({ AccountId: accountId })),
    };
  },
});
