/**
 * Deactivates an access key the attacker created (`CreateAccessKey`, on any user): a planted key is
 * persistence that outlives the stolen one. The key is set Inactive, never deleted (it is evidence);
 * undo sets it back to the status recorded before. IAM is global: every change is in us-east-1.
 */
import { UpdateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { readAccessKeys } from '../../iam-user/access-keys';
import { isNoSuchEntity } from '../../iam-user/context';
import { errorOf } from '../../types';
import { changeOf, isEventOf, stringAt } from '../record-fields';
import type { ChangeReverter, CloudTrailRecord, JsonObject, RevertibleChange } from '../types';
import {
  changedBefore,
  fieldOf,
  nothingToPutBack,
  otherAccountRefusal,
  runStep,
  undoAction,
} from './outcomes';

/** Where IAM's changes are made and recorded, whatever region a record names. */
export const IAM_REGION = 'us-east-1';

export interface CreatedAccessKey extends JsonObject {
  readonly accessKeyId: string;
  readonly userName: string;
  /** The record's `recipientAccountId`, null when it lacks one. */
  readonly accountId: string | null;
}

/** A key's status now: `Active`, `Inactive`, or null when the key (or its user) no longer exists. */
export interface AccessKeyStatus extends JsonObject {
  readonly accessKeyId: string;
  readonly userName: string;
  readonly status: string | null;
}

const action = 'deactivate-created-access-key';
const events = { eventSource: 'iam.amazonaws.com', eventNames: ['CreateAccessKey'] } as const;

async function readKeyStatus(iam: IAMClient, key: CreatedAccessKey): Promise<AccessKeyStatus> {
  const { accessKeyId, userName } = key;
  try {
    const found = (await readAccessKeys(iam, userName)).find((listed) => listed.id === accessKeyId);
    return { accessKeyId, userName, status: found ? found.status : null };
  } catch (thrown) {
    if (isNoSuchEntity(errorOf(thrown))) return { accessKeyId, userName, status: null };
    throw thrown;
  }
}

function keyPhrase(key: CreatedAccessKey): string {
  return `access key ${key.accessKeyId} of user ${key.userName}`;
}

/** The user the key was made for: the request names it; without one it is the caller's own, which the response names. */
function userOf(record: CloudTrailRecord): string | undefined {
  return (
    stringAt(record.requestParameters, 'userName') ??
    stringAt(record.responseElements, 'accessKey', 'userName') ??
    (stringAt(record.userIdentity, 'type') === 'IAMUser'
      ? stringAt(record.userIdentity, 'userName')
      : undefined)
  );
}

export const deactivateCreatedAccessKey: ChangeReverter<CreatedAccessKey> = {
  action,
  permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
  restorePermissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
  resources: ['user'],
  events,
  sweepSwitch: 'deactivateAccessKeys',
  summary: 'deactivates (never deletes) the access key the event created',

  changesOf(record) {
    const basics = isEventOf({ events }, record);
    if (!basics) return [];
    const accessKeyId = stringAt(record.responseElements, 'accessKey', 'accessKeyId');
    const userName = userOf(record);
    if (!accessKeyId || !userName) return [];
    return [
      changeOf(action, { ...basics, region: IAM_REGION }, `access-key/${accessKeyId}`, {
        accessKeyId,
        userName,
        accountId: basics.accountId ?? null,
      }),
    ];
  },

  async revert(change, ctx) {
    const refusal = otherAccountRefusal(action, change, [change.details.accountId], ctx.accountId);
    if (refusal) return [refusal];
    const key = change.details;
    return [
      await runStep<AccessKeyStatus>({
        action,
        target: change.target,
        change,
        dryRun: ctx.dryRun,
        read: () => readKeyStatus(ctx.clients.iam, key),
        settled: (state) =>
          state.status === null
            ? `${keyPhrase(key)} no longer exists: it was deleted`
            : state.status !== 'Active'
              ? `${keyPhrase(key)} is already ${state.status.toLowerCase()}`
              : undefined,
        write: () =>
          ctx.clients.iam.send(
            new UpdateAccessKeyCommand({
              UserName: key.userName,
              AccessKeyId: key.accessKeyId,
              Status: 'Inactive',
            }),
          ),
        does: `deactivate ${keyPhrase(key)}`,
        did: `${keyPhrase(key)} deactivated (kept as evidence, not deleted)`,
        reads: `the status of ${keyPhrase(key)}`,
      }),
    ];
  },

  async undo(change: RevertibleChange<CreatedAccessKey>, outcomes, ctx) {
    const recorded = fieldOf(changedBefore(outcomes, action), 'status');
    if (recorded !== 'Active' && recorded !== 'Inactive')
      return [nothingToPutBack(action, change, ctx.dryRun)];
    const key = change.details;
    return [
      await runStep<AccessKeyStatus>({
        action: undoAction(action),
        target: change.target,
        change,
        dryRun: ctx.dryRun,
        read: () => readKeyStatus(ctx.clients.iam, key),
        settled: (state) =>
          state.status === recorded ? `${keyPhrase(key)} is already ${recorded.toLowerCase()}` : undefined,
        write: () =>
          ctx.clients.iam.send(
            new UpdateAccessKeyCommand({
              UserName: key.userName,
              AccessKeyId: key.accessKeyId,
              Status: recorded,
            }),
          ),
        does: `set ${keyPhrase(key)} back to ${recorded}`,
        did: `${keyPhrase(key)} set back to ${recorded}`,
        reads: `the status of ${keyPhrase(key)}`,
      }),
    ];
  },
};
