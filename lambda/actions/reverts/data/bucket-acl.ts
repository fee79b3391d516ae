/**
 * A bucket ACL granted to everyone (`PutBucketAcl` with a grant, a grant header or a canned ACL for
 * AllUsers or AuthenticatedUsers), made private again: the current ACL is read and recorded, and
 * put back with exactly the grants to those two groups removed; the owner and every other grant
 * stay. A canned public ACL reads back as its grants, so it loses the same public ones.
 */
import { GetBucketAclCommand, PutBucketAclCommand, type Grant, type Owner } from '@aws-sdk/client-s3';
import { ALL_USERS, AUTHENTICATED_USERS, aclGrantsEveryone } from '../../../detections/catalogue/sharing';
import { attempt, settle } from '../../types';
import { at, changeOf, isEventOf, stringAt } from '../record-fields';
import type {
  ChangeReverter,
  JsonValue,
  RevertContext,
  RevertibleChange,
  RevertOutcome,
  UndoContext,
} from '../types';
import {
  eventOf,
  fieldOf,
  foreignAccount,
  jsonOf,
  nothingToUndo,
  outcomeOf,
  revertDone,
  type AccountScoped,
} from './outcome';

export type BucketAclChange = AccountScoped & { readonly bucket: string };

/** The ACL as GetBucketAcl gives it and PutBucketAcl takes it. */
interface BucketAcl {
  readonly Owner?: Owner;
  readonly Grants: readonly Grant[];
}

const ACTION = 'make-bucket-acl-private';
const EVENTS = { eventSource: 's3.amazonaws.com', eventNames: ['PutBucketAcl'] } as const;

/** Whether the grant is to AllUsers or AuthenticatedUsers (any AWS account). */
export function isPublicGrant(grant: Grant): boolean {
  const uri = grant.Grantee?.URI;
  return uri === ALL_USERS || uri === AUTHENTICATED_USERS;
}

function aclOfBefore(before: JsonValue): BucketAcl | undefined {
  const grants = fieldOf(before, 'Grants');
  if (!Array.isArray(grants)) return undefined;
  const owner = fieldOf(before, 'Owner');
  return {
    ...(typeof owner === 'object' && owner !== null && !Array.isArray(owner)
      ? { Owner: owner as Owner }
      : {}),
    Grants: grants as readonly Grant[],
  };
}

/** A grant as one comparable string (grantee fields in a fixed order, and the permission). */
function grantKey(grant: Grant): string {
  const { Type, ID, URI, EmailAddress } = grant.Grantee ?? {};
  return JSON.stringify([
    Type ?? null,
    ID ?? null,
    URI ?? null,
    EmailAddress ?? null,
    grant.Permission ?? null,
  ]);
}

function sameGrants(a: readonly Grant[], b: readonly Grant[]): boolean {
  const keys = (grants: readonly Grant[]) => grants.map(grantKey).sort().join('\n');
  return keys(a) === keys(b);
}

function aclOf(answer: { Owner?: Owner; Grants?: Grant[] }): BucketAcl {
  return { ...(answer.Owner ? { Owner: answer.Owner } : {}), Grants: answer.Grants ?? [] };
}

async function revert(change: RevertibleChange<BucketAclChange>, ctx: RevertContext) {
  const foreign = foreignAccount(ACTION, change, ctx.accountId);
  if (foreign) return [foreign];
  const { bucket } = change.details;
  const s3 = ctx.clients.s3(change.region);
  const read = await settle(() => s3.send(new GetBucketAclCommand({ Bucket: bucket })));
  if (!read.ok) {
    const detail = `Could not read the ACL of bucket ${bucket} to revert ${eventOf(change)}.`;
    return [outcomeOf(ACTION, change, 'failed', detail, null, read.error)];
  }
  const acl = aclOf(read.value);
  const before = jsonOf(acl);
  const publicGrants = acl.Grants.filter(isPublicGrant);
  if (publicGrants.length === 0) {
    const detail = `Bucket ${bucket} grants nothing to everyone: ${eventOf(change)} is already reverted.`;
    return [outcomeOf(ACTION, change, 'already-done', detail, before)];
  }
  const kept = acl.Grants.filter((grant) => !isPublicGrant(grant));
  const removal = `the ${publicGrants.length} ACL grant(s) to AllUsers/AuthenticatedUsers of bucket ${bucket} (keeping the owner and ${kept.length} other grant(s)), undoing ${eventOf(change)}`;
  if (ctx.dryRun) return [outcomeOf(ACTION, change, 'planned', `Would remove ${removal}.`, before)];
  const error = await attempt(() =>
    s3.send(
      new PutBucketAclCommand({
        Bucket: bucket,
        AccessControlPolicy: { ...(acl.Owner ? { Owner: acl.Owner } : {}), Grants: kept },
      }),
    ),
  );
  if (error) return [outcomeOf(ACTION, change, 'failed', `Could not remove ${removal}.`, before, error)];
  return [outcomeOf(ACTION, change, 'done', `Removed ${removal}.`, before)];
}

async function undo(
  change: RevertibleChange<BucketAclChange>,
  outcomes: readonly RevertOutcome[],
  ctx: UndoContext,
) {
  const foreign = foreignAccount(ACTION, change, ctx.accountId);
  if (foreign) return [foreign];
  const reverted = revertDone(ACTION, change, outcomes);
  if (!reverted) return [nothingToUndo(ACTION, change)];
  const { bucket } = change.details;
  const recorded = aclOfBefore(reverted.before);
  if (!recorded) {
    const detail = `The ACL of bucket ${bucket} recorded before reverting ${eventOf(change)} is unreadable; it cannot be put back.`;
    return [
      outcomeOf(ACTION, change, 'failed', detail, null, {
        name: 'UnreadableBefore',
        message: 'the recorded ACL has no Grants list',
      }),
    ];
  }
  const s3 = ctx.clients.s3(change.region);
  const read = await settle(() => s3.send(new GetBucketAclCommand({ Bucket: bucket })));
  if (!read.ok) {
    const detail = `Could not read the ACL of bucket ${bucket} to put back what ${eventOf(change)} set.`;
    return [outcomeOf(ACTION, change, 'failed', detail, null, read.error)];
  }
  const current = aclOf(read.value);
  const before = jsonOf(current);
  if (sameGrants(current.Grants, recorded.Grants)) {
    const detail = `Bucket ${bucket} already has the ACL recorded before reverting ${eventOf(change)}.`;
    return [outcomeOf(ACTION, change, 'already-done', detail, before)];
  }
  const putBack = `the ACL of bucket ${bucket} recorded before reverting ${eventOf(change)} (${recorded.Grants.length} grant(s))`;
  if (ctx.dryRun) return [outcomeOf(ACTION, change, 'planned', `Would put back ${putBack}.`, before)];
  const error = await attempt(() =>
    s3.send(
      new PutBucketAclCommand({
        Bucket: bucket,
        AccessControlPolicy: {
          ...(recorded.Owner ? { Owner: recorded.Owner } : {}),
          Grants: [...recorded.Grants],
        },
      }),
    ),
  );
  if (error) return [outcomeOf(ACTION, change, 'failed', `Could not put back ${putBack}.`, before, error)];
  return [outcomeOf(ACTION, change, 'done', `Put back ${putBack}.`, before)];
}

export const makeBucketAclPrivate: ChangeReverter<BucketAclChange> = {
  action: ACTION,
  permissions: ['s3:GetBucketAcl', 's3:PutBucketAcl'],
  restorePermissions: ['s3:GetBucketAcl', 's3:PutBucketAcl'],
  resources: ['s3:bucket'],
  events: EVENTS,
  sweepSwitch: 'revertShares',
  summary: 'removes the bucket ACL grants to AllUsers and AuthenticatedUsers, keeping every other grant',
  changesOf(record) {
    const basics = isEventOf({ events: EVENTS }, record);
    if (!basics) return [];
    const requestParameters = at(record, 'requestParameters');
    const bucket = stringAt(requestParameters, 'bucketName');
    if (!bucket || !aclGrantsEveryone(requestParameters)) return [];
    return [changeOf(ACTION, basics, `bucket/${bucket}`, { accountId: basics.accountId ?? null, bucket })];
  },
  revert,
  undo,
};
