import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { RETRY, withErrorContext } from '../responder/clients';
import { containerBase } from './container';
import { SqsVerificationScheduler } from '../responder/verification';
import { outcomeOf } from '../responder/incident-record';
import { respond, type ResponderDependencies } from '../responder/respond';

const logger = new Logger({ serviceName: 'cordon-responder' });

/** A margin past the invocation's end before its claim lets a retry in. */
const LEASE_MARGIN_MS = 5_000;

type ContainerDependencies = Omit<ResponderDependencies, 'accountId'>;
let dependencies: ContainerDependencies | undefined;

/** Clients and config are made once per container, on the first event. */
function containerDependencies(): ContainerDependencies {
  if (!dependencies) {
    const { environment, ...base } = containerBase();
    dependencies = {
      ...base,
      verifier: environment.verifyQueueUrl
        ? new SqsVerificationScheduler(
            withErrorContext(new SQSClient({ ...RETRY })),
            environment.verifyQueueUrl,
          )
        : undefined,
    };
  }
  return dependencies;
}

/** The account the function runs in: the fifth field of its own ARN. */
export function accountOfFunction(context: Pick<Context, 'invokedFunctionArn'>): string {
  const account = context.invokedFunctionArn.split(':')[4];
  if (!account || !/^\d{12}$/.test(account)) {
    throw new Error(
      `cannot read the account from the function ARN ${JSON.stringify(context.invokedFunctionArn)}`,
    );
  }
  return account;
}

/**
 * Entry point for EventBridge. Throws only when the incident could not be carried out, recorded
 * or reported: the claim is then released, Lambda retries (the retry finishes the incident), and
 * after the last retry the on-failure destination keeps the event. An event it cannot parse, or
 * one for another account, is recorded and reported like any other.
 */
export const handler = async (
  event: unknown,
  context: Pick<Context, 'invokedFunctionArn' | 'getRemainingTimeInMillis'>,
): Promise<{ incidentId: string; outcome: string }> => {
  logger.info('event received', { event });
  const accountId = accountOfFunction(context);
  const result = await respond(
    event,
    { ...containerDependencies(), accountId: () => Promise.resolve(accountId) },
    { leaseMs: context.getRemainingTimeInMillis() + LEASE_MARGIN_MS },
  );
  if (result.duplicate) {
    logger.info(
      result.claim === 'completed'
        ? 're-delivered event: incident already finished'
        : 'duplicate event: another invocation is handling this incident now',
      { incidentId: result.incidentId, claim: result.claim },
    );
    return { incidentId: result.incidentId, outcome: `duplicate-${result.claim}` };
  }
  const outcome = outcomeOf(result.record);
  logger.info('incident handled', {
    incidentId: result.incidentId,
    outcome,
    resumed: result.record.resumed === true,
    detections: result.record.detections.map((d) => d.id),
    rejection: result.record.rejection,
    plan: result.record.plan,
  });
  return { incidentId: result.incidentId, outcome };
};
