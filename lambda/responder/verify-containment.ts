import { GetUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import {
  containIamUser,
  DENY_ALL_POLICY_NAME,
  settle,
  type ContainmentOutcome,
  type ContainmentResult,
} from '../actions';
import type { IncidentStore } from '../incidents/store';
import type { ReportPublisher } from '../notify/publisher';
import { MAX_SUBJECT_LENGTH, type Report } from '../notify/report';
import { isNoSuchEntity } from '../actions/iam-user/context';
import { enforcedContainment, incidentState } from './restore-incident';
import type { VerificationRequest } from './verification';

export const VERIFICATION_KIND = 'cordon/verification';

export interface VerificationResult {
  readonly kind: typeof VERIFICATION_KIND;
  readonly incidentId: string;
  readonly userName: string;
  readonly round: number;
  readonly verifiedAt: string;
  /** Set when nothing was verified, with the reason (restored since, not contained by this incident). */
  readonly skipped?: string;
  /** The containment run again; absent when skipped. */
  readonly containment?: ContainmentResult;
  /** What had been undone or was new, and was contained again. */
  readonly redone: readonly ContainmentOutcome[];
  /** Steps that failed this time. */
  readonly failed: readonly ContainmentOutcome[];
  readonly escalated: boolean;
}

export interface VerifyContainmentInput {
  readonly iam: IAMClient;
  readonly store: IncidentStore;
  readonly publisher: ReportPublisher;
  readonly request: VerificationRequest;
  readonly now?: Date;
}

/** The follow-up report of an escalation. */
export function escalationReport(result: VerificationResult): Report {
  const subject = `[Cordon] ESCALATED: ${result.userName} undid containment (${result.incidentId})`;
  const lines = [
    `Cordon incident ${result.incidentId}: ESCALATED`,
    '',
    `Verification ${result.round} of IAM user ${result.userName} at ${result.verifiedAt}, after IAM's propagation window:`,
    ...(result.redone.length ? ['', 'Undone or new since containment, contained again:'] : []),
    ...result.redone.map((o) => `  - ${o.action} ${o.target}: ${o.detail}`),
    ...(result.failed.length ? ['', 'What failed:'] : []),
    ...result.failed.map(
      (o) => `  - ${o.action} ${o.target}: ${o.error?.name ?? 'Error'}: ${o.error?.message ?? o.detail}`,
    ),
    '',
    'What a human must still do:',
    `  - Someone with IAM rights changed ${result.userName} after Cordon contained it: find who in CloudTrail (the calls above) and contain that principal too.`,
    '  - Treat every credential that could change IAM in this account as compromised until proven otherwise.',
  ];
  return {
    subject: subject.length > MAX_SUBJECT_LENGTH ? `${subject.slice(0, MAX_SUBJECT_LENGTH - 1)}…` : subject,
    text: lines.join('\n'),
    json: JSON.stringify({ incidentId: result.incidentId, outcome: 'escalated', verification: result }),
    attributes: {
      severity: 'critical',
      detection: 'verification',
      principalType: 'IAMUser',
      outcome: 'escalated',
    },
  };
}

/** Whether the user's inline deny is gone (a failed read is not taken as gone). */
async function denyPolicyMissing(iam: IAMClient, userName: string): Promise<boolean> {
  const read = await settle(() =>
    iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: DENY_ALL_POLICY_NAME })),
  );
  return !read.ok && isNoSuchEntity(read.error);
}

/**
 * One round of verification: the user is contained again under the same incident (idempotent),
 * what comes back `done` was undone or is new, and the incident is escalated when anything was.
 * An incident restored since is left alone: the operator's restore wins.
 */
export async function verifyContainment(input: VerifyContainmentInput): Promise<VerificationResult> {
  const { request, store } = input;
  const verifiedAt = (input.now ?? new Date()).toISOString();
  const base = {
    kind: VERIFICATION_KIND,
    incidentId: request.incidentId,
    userName: request.userName,
    round: request.round,
    verifiedAt,
  } as const;
  const { record, restoration } = await incidentState(store, request.incidentId);
  const original = enforcedContainment(record, request.userName);
  const skip = (why: string): VerificationResult => ({
    ...base,
    skipped: why,
    redone: [],
    failed: [],
    escalated: false,
  });
  let result: VerificationResult;
  if (!record) {
    result = skip('no incident record');
  } else if (!original) {
    result = skip(`the incident did not contain ${request.userName}`);
  } else if (restoration) {
    result = skip('the incident was restored since: nothing is contained again');
  } else {
    // The deny's own outcome cannot tell a re-put deny from one still there (its list read races the
    // put): whether the inline deny was removed is read first, when that is the form Cordon used.
    const inlineDenyRemoved =
      original.deny.method === 'inline-policy' ? await denyPolicyMissing(input.iam, request.userName) : false;
    const containment = await containIamUser({
      iam: input.iam,
      userName: request.userName,
      incidentId: request.incidentId,
      now: new Date(verifiedAt),
    });
    // Listing MFA devices is a record, not a change: a `done` there is not an escalation.
    const changed = containment.outcomes.filter(
      (o) => o.status === 'done' && o.action !== 'record-mfa-device',
    );
    const denyRedone = inlineDenyRemoved
      ? containment.outcomes.find((o) => o.action === 'deny-all' && o.status === 'already-done')
      : undefined;
    const redone: ContainmentOutcome[] = denyRedone
      ? [
          {
            ...denyRedone,
            status: 'done',
            detail: `inline policy ${DENY_ALL_POLICY_NAME} had been removed since containment: put again`,
          },
          ...changed,
        ]
      : changed;
    const failed = containment.outcomes.filter((o) => o.status === 'failed');
    result = { ...base, containment, redone, failed, escalated: redone.length > 0 || !containment.denied };
  }
  await store.putDocument(request.incidentId, `verification-${request.round}`, result);
  if (result.escalated) await input.publisher.publish(escalationReport(result));
  return result;
}
