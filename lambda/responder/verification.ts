/**
 * Winning the propagation race. IAM is eventually consistent: a deny takes seconds to apply
 * everywhere, and an attacker who still holds IAM rights can use them to remove the deny,
 * reactivate or create a key, or recreate a login profile. So, once IAM's propagation window has
 * passed (and once more a little later), Cordon contains the user again under the same incident:
 * containment is idempotent, so whatever comes back `done` was undone or is new. It is redone by
 * that very run, recorded as `verification-<round>`, and escalated in a follow-up report.
 *
 * The delays are not waited out in a Lambda: the responder sends one SQS message per round with
 * `DelaySeconds`, and the verifier Lambda runs when each becomes visible.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** After IAM's propagation window (seconds, usually), and once more later. SQS allows up to 900. */
export const VERIFICATION_DELAYS_SECONDS = [20, 120] as const;

export interface VerificationRequest {
  readonly incidentId: string;
  readonly userName: string;
  /** 1, 2, ...: which of the delays. */
  readonly round: number;
}

/** Where verifications are scheduled: SQS in the Lambda; none from the command line. */
export interface VerificationScheduler {
  schedule(requests: readonly VerificationRequest[], delaysSeconds: readonly number[]): Promise<void>;
}

/** What the record says about the verification of its containments. */
export type VerificationPlan =
  | { readonly scheduled: true; readonly delaysSeconds: readonly number[] }
  | { readonly scheduled: false; readonly why: string };

export class SqsVerificationScheduler implements VerificationScheduler {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async schedule(requests: readonly VerificationRequest[], delaysSeconds: readonly number[]): Promise<void> {
    if (requests.length === 0) return;
    const entries = requests.map((request, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(request),
      DelaySeconds: delaysSeconds[request.round - 1] ?? delaysSeconds.at(-1) ?? 0,
    }));
    const { Failed } = await this.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
    );
    if (Failed && Failed.length > 0) {
      throw new Error(
        `could not schedule ${Failed.length} verification(s): ${Failed.map((f) => `${f.Code ?? '?'}: ${f.Message ?? ''}`).join('; ')}`,
      );
    }
  }
}

/** The requests for every round of every user a run contained. */
export function verificationRequests(
  incidentId: string,
  userNames: readonly string[],
  delaysSeconds: readonly number[] = VERIFICATION_DELAYS_SECONDS,
): VerificationRequest[] {
  return userNames.flatMap((userName) =>
    delaysSeconds.map((_, index) => ({ incidentId, userName, round: index + 1 })),
  );
}

/** Reads a request from an SQS message body; throws naming what is wrong. */
export function parseVerificationRequest(body: string): VerificationRequest {
  const value = JSON.parse(body) as Partial<VerificationRequest>;
  if (
    typeof value.incidentId !== 'string' ||
    typeof value.userName !== 'string' ||
    typeof value.round !== 'number'
  ) {
    throw new Error(`not a verification request (incidentId, userName, round): ${body.slice(0, 200)}`);
  }
  return { incidentId: value.incidentId, userName: value.userName, round: value.round };
}
