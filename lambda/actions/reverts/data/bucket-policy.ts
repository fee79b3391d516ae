/**
 * A bucket policy opened to everyone (`PutBucketPolicy` with an Allow to Principal "*" and no
 * condition tying it to known callers), made private again: the current policy is read and kept
 * whole, and put back without the statements that grant public access, by the same test the
 * detection uses (policy.ts's `grantsPublicAccess`); the policy is deleted when nothing is left.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { grantsPublicAccess, policyDocument, statements } from '../../../detections/catalogue/policy';
import { attempt, settle, type Read } from '../../types';
import { at, changeOf, isEventOf, stringAt } from '../record-fields';
import type { ChangeReverter, RevertContext, RevertibleChange, RevertOutcome, UndoContext } from '../types';
import {
  eventOf,
  fieldOf,
  foreignAccount,
  nothingToUndo,
  outcomeOf,
  revertDone,
  type AccountScoped,
} from './outcome';

export type BucketPolicyChange = AccountScoped & { readonly bucket: string };

const ACTION = 'make-bucket-policy-private';
const EVENTS = { eventSource: 's3.amazonaws.com', eventNames: ['PutBucketPolicy'] } as const;

/** The bucket's policy text, or null when it has none (NoSuchBucketPolicy). */
async function readPolicy(s3: S3Client, bucket: string): Promise<Read<string | null>> {
  return settle(async () => {
    try {
      return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? null;
    } catch (thrown) {
      if (thrown instanceof Error && thrown.name === 'NoSuchBucketPolicy') return null;
      throw thrown;
    }
  });
}

/** Whether two policy texts are the same document (S3 may give back another layout of the same JSON). */
function samePolicy(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const [left, right] = [policyDocument(a), policyDocument(b)];
  return left !== undefined && right !== undefined ? isDeepStrictEqual(left, right) : a === b;
}

async function revert(change: RevertibleChange<BucketPolicyChange>, ctx: RevertContext) {
  const foreign = foreignAccount(ACTION, change, ctx.accountId);
  if (foreign) return [foreign];
  const { bucket } = change.details;
  const s3 = ctx.clients.s3(change.region);
  const read = await readPolicy(s3, bucket);
  if (!read.ok) {
    const detail = `Could not read the policy of bucket ${bucket} to revert ${eventOf(change)}.`;
    return [outcomeOf(ACTION, change, 'failed', detail, null, read.error)];
  }
  const policy = read.value;
  const before = { policy };
  const document = policy === null ? undefined : policyDocument(policy);
  const all = statements(document);
  const kept = all.filter((statement) => !grantsPublicAccess(statement));
  if (!document || kept.length === all.length) {
    const detail = `The policy of bucket ${bucket} grants nothing to everyone: ${eventOf(change)} is already reverted.`;
    return [outcomeOf(ACTION, change, 'already-done', detail, before)];
  }
  const removed = all.length - kept.length;
  const removal =
    kept.length === 0
      ? `the policy of bucket ${bucket} (its ${removed} statement(s) all grant public access), undoing ${eventOf(change)}`
      : `the ${removed} public statement(s) from the policy of bucket ${bucket} (keeping ${kept.length}), undoing ${eventOf(change)}`;
  const verb = kept.length === 0 ? 'delete' : 'remove';
  if (ctx.dryRun) return [outcomeOf(ACTION, change, 'planned', `Would ${verb} ${removal}.`, before)];
  const error = await attempt(() =>
    kept.length === 0
      ? s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))
      : s3.send(
          new PutBucketPolicyCommand({
            Bucket: bucket,
            Policy: JSON.stringify({ ...document, Statement: kept }),
          }),
        ),
  );
  if (error) return [outcomeOf(ACTION, change, 'failed', `Could not ${verb} ${removal}.`, before, error)];
  return [
    outcomeOf(ACTION, change, 'done', `${kept.length === 0 ? 'Deleted' : 'Removed'} ${removal}.`, before),
  ];
}

async function undo(
  change: RevertibleChange<BucketPolicyChange>,
  outcomes: readonly RevertOutcome[],
  ctx: UndoContext,
) {
  const foreign = foreignAccount(ACTION, change, ctx.accountId);
  if (foreign) return [foreign];
  const reverted = revertDone(ACTION, change, outcomes);
  if (!reverted) return [nothingToUndo(ACTION, change)];
  const { bucket } = change.details;
  const recorded = fieldOf(reverted.before, 'policy');
  if (recorded !== null && typeof recorded !== 'string') {
    const detail = `The policy of bucket ${bucket} recorded before reverting ${eventOf(change)} is unreadable; it cannot be put back.`;
    return [
      outcomeOf(ACTION, change, 'failed', detail, null, {
        name: 'UnreadableBefore',
        message: 'the recorded policy is neither text nor null',
      }),
    ];
  }
  const s3 = ctx.clients.s3(change.region);
  const read = await readPolicy(s3, bucket);
  if (!read.ok) {
    const detail = `Could not read the policy of bucket ${bucket} to put back what ${eventOf(change)} set.`;
    return [outcomeOf(ACTION, change, 'failed', detail, null, read.error)];
  }
  const before = { policy: read.value };
  if (samePolicy(read.value, recorded)) {
    const detail = `Bucket ${bucket} already has the policy recorded before reverting ${eventOf(change)}.`;
    return [outcomeOf(ACTION, change, 'already-done', detail, before)];
  }
  const putBack =
    recorded === null
      ? `no policy on bucket ${bucket}, as before reverting ${eventOf(change)}`
      : `the policy of bucket ${bucket} recorded before reverting ${eventOf(change)}`;
  if (ctx.dryRun) return [outcomeOf(ACTION, change, 'planned', `Would put back ${putBack}.`, before)];
  const error = await attempt(() =>
    recorded === null
      ? s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))
      : s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: recorded })),
  );
  if (error) return [outcomeOf(ACTION, change, 'failed', `Could not put back ${putBack}.`, before, error)];
  return [outcomeOf(ACTION, change, 'done', `Put back ${putBack}.`, before)];
}

export const makeBucketPolicyPrivate: ChangeReverter<BucketPolicyChange> = {
  action: ACTION,
  permissions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
  restorePermissions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
  resources: ['s3:bucket'],
  events: EVENTS,
  sweepSwitch: 'revertShares',
  summary:
    'removes the bucket policy statements that grant public access (deleting the policy when none is left)',
  changesOf(record) {
    const basics = isEventOf({ events: EVENTS }, record);
    if (!basics) return [];
    const requestParameters = at(record, 'requestParameters');
    const bucket = stringAt(requestParameters, 'bucketName');
    const document = policyDocument(at(requestParameters, 'bucketPolicy'));
    if (!bucket || !statements(document).some(grantsPublicAccess)) return [];
    return [changeOf(ACTION, basics, `bucket/${bucket}`, { accountId: basics.accountId ?? null, bucket })];
  },
  revert,
  undo,
};
