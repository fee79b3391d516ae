import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseVerificationRequest } from '../responder/verification';
import { containerBase } from './container';
import { verifyContainment, type VerifyContainmentInput } from '../responder/verify-containment';

const logger = new Logger({ serviceName: 'cordon-verifier' });

/** Clients and config are made once per container, on the first event. */
function containerDependencies(): Omit<VerifyContainmentInput, 'request' | 'now'> {
  const { iam, store, publisher } = containerBase();
  return { iam, store, publisher };
}

/**
 * Entry point for the verification queue: each message is one round of one user (delayed by SQS
 * past IAM's propagation window). A round that fails is reported back as a batch item failure, so
 * that SQS delivers it again and, after its retries, keeps it in the queue's dead-letter queue.
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const message of event.Records) {
    try {
      const request = parseVerificationRequest(message.body);
      const result = await verifyContainment({ ...containerDependencies(), request });
      logger.info('verification done', {
        incidentId: result.incidentId,
        userName: result.userName,
        round: result.round,
        skipped: result.skipped,
        escalated: result.escalated,
        redone: result.redone.map((o) => `${o.action} ${o.target}`),
      });
    } catch (error) {
      logger.error('verification failed', { messageId: message.messageId, error: error as Error });
      failures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures: failures };
};
