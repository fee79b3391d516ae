/**
 * What every revert has in common. A reverter undoes one kind of change that a CloudTrail event
 * made (an ingress rule opened, a snapshot shared, a trail stopped, ...). The single-event revert
 * (a `revert` detection matched) and the sweep (the attacker's whole timeline) both find the
 * changes of an event with the same `changesOf`, so a change is recognised in one place.
 *
 * Like a containment action, a reverter reads the current state first, records it as the outcome's
 * `before` (what `cordon restore` puts back), applies its change, reports "already done" when the
 * change is already undone, and on a dry run only says what it would do (`planned`).
 * Everything here is plain JSON data: a change survives the plan's round trip through S3.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SweepRevertSwitch } from '../../config/schema';
import type { ActionModule, ActionOutcome } from '../types';

/** A JSON value, as a plan stored in S3 gives it back. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/**
 * A CloudTrail record: EventBridge's `detail`, or the parsed `CloudTrailEvent` of a LookupEvents
 * answer (the same format). Only what every record has is named; everything is read defensively.
 */
export interface CloudTrailRecord {
  readonly eventID?: unknown;
  readonly eventName?: unknown;
  readonly eventSource?: unknown;
  readonly eventTime?: unknown;
  readonly awsRegion?: unknown;
  readonly recipientAccountId?: unknown;
  readonly errorCode?: unknown;
  readonly readOnly?: unknown;
  readonly userIdentity?: unknown;
  readonly requestParameters?: unknown;
  readonly responseElements?: unknown;
  readonly [field: string]: unknown;
}

/** One change an event made that a reverter undoes. */
export interface RevertibleChange<D extends JsonObject = JsonObject> {
  /** The reverter that undoes it: its `action` (`revoke-ingress-rules`, `remove-snapshot-permission`, ...). */
  readonly revert: string;
  /** Where the change is (us-east-1 for global services such as IAM). */
  readonly region: string;
  /** What it acts on, as outcomes and the report name it: `security-group/sg-0abc`, `bucket/examplebucket`. */
  readonly target: string;
  /** The event that made the change. */
  readonly eventId: string;
  readonly eventName: string;
  readonly eventTime: string;
  /** The reverter's own facts from the event: rule ids or permissions, the accounts added, a statement id. */
  readonly details: D;
}

/** The clients reverters call, each in the change's region (made on first use, once per region). */
export interface RevertClients {
  readonly iam: IAMClient;
  readonly ec2: (region: string) => EC2Client;
  readonly s3: (region: string) => S3Client;
  readonly s3control: (region: string) => S3ControlClient;
  readonly lambda: (region: string) => LambdaClient;
  readonly rds: (region: string) => RDSClient;
  readonly cloudtrail: (region: string) => CloudTrailClient;
  readonly guardduty: (region: string) => GuardDutyClient;
}

/** How far a revert goes, from the config (`sweep.reverts`, `sweep.terminateInstances`). */
export interface RevertOptions {
  /** Instances the attacker launched are terminated instead of stopped. */
  readonly terminateInstances: boolean;
}

export interface RevertContext {
  readonly clients: RevertClients;
  /** The account Cordon runs in (S3 Control calls name it; a change in another account is never touched). */
  readonly accountId: string;
  readonly incidentId: string;
  /** Read and plan; make no write call. */
  readonly dryRun: boolean;
  readonly now: Date;
  readonly options: RevertOptions;
}

export interface UndoContext {
  readonly clients: RevertClients;
  readonly accountId: string;
  readonly dryRun: boolean;
}

/** What a revert did to one target; `before` is what `cordon restore` puts back (null when it could not be read). */
export type RevertOutcome = ActionOutcome<string, JsonValue> & {
  /** What a person must still do about this target, when no API can (a password Cordon cannot know). */
  readonly manualStep?: string;
};

/**
 * One kind of change and how to undo it. Its declaration (`permissions`, `restorePermissions`,
 * `resources`) becomes the responder's and the sweeper's grants, as for every action module.
 */
export interface ChangeReverter<D extends JsonObject = JsonObject> extends ActionModule {
  /** The revert's name in outcomes and in `RevertibleChange.revert`. */
  readonly action: string;
  /** The events it reverts: one service, and event names (a name ending in `*` is a prefix: `AddPermission*`). */
  readonly events: { readonly eventSource: string; readonly eventNames: readonly string[] };
  /** The config switch that lets the sweep apply it (`sweep.reverts.<switch>`). */
  readonly sweepSwitch: SweepRevertSwitch;
  /** What it does, in words, for the generated docs and the report: "revokes the ingress rules the event added". */
  readonly summary: string;
  /**
   * The changes of one successful record of its events that it undoes (none when the event changed
   * nothing it undoes: an egress rule, a share with nobody). Pure: no I/O, never throws on any input.
   */
  changesOf(record: CloudTrailRecord): readonly RevertibleChange<D>[];
  /** Reads the current state, records it, undoes the change (or reports already done, or planned). Never rejects. */
  revert(change: RevertibleChange<D>, context: RevertContext): Promise<readonly RevertOutcome[]>;
  /** Puts back what `revert` recorded (`cordon restore`). Never rejects. */
  undo(
    change: RevertibleChange<D>,
    outcomes: readonly RevertOutcome[],
    context: UndoContext,
  ): Promise<readonly RevertOutcome[]>;
}
