import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { RETRY, withErrorContext } from '../responder/clients';
import { containerBase } from './container';
import { SqsVerificationScheduler } from '../responder/verification';
import { isIncidentRecord, outcomeOf } from '../responder/incident-record';
import { SWEEP_DOCUMENT } from '../sweep/sweep';
import { respond, type ResponderDependencies } from '../responder/respond';
import { sweepStartOf } from '../sweep/sweeper';
import {
  LambdaSweepStarter,
  SWEEPER_FUNCTION_ENV,
  sweeperEventOf,
  type SweepStarter,
} from '../sweep/starter';

const logger = new Logger({ serviceName: 'cordon-responder' });

/** A margin past the invocation's end before its claim lets a retry in. */
const LEASE_MARGIN_MS = 5_000;

type ContainerDependencies = Omit<ResponderDependencies, 'accountId'> & {
  readonly sweeper?: SweepStarter;
};
let dependencies: ContainerDependencies | undefined;

/** Clients and config are made once per container, on the first event. */
function containerDependencies(): ContainerDependencies {
  if (!dependencies) {
    const { environment, ...base } = containerBase();
    const sweeperFunction = process.env[SWEEPER_FUNCTION_ENV];
    dependencies = {
      ...base,
      sweeper: sweeperFunction
        ? new LambdaSweepStarter(base.services.lambda(base.config.homeRegion), sweeperFunction)
        : undefined,
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
  const deps = containerDependencies();
  const result = await respond(
    event,
    { ...deps, accountId: () => Promise.resolve(accountId) },
    { leaseMs: context.getRemainingTimeInMillis() + LEASE_MARGIN_MS },
  );
  if (result.duplicate) {
    // A retry after a failed sweep start finds the incident complete: start the sweep it missed.
    if (result.claim === 'completed' && deps.sweeper) {
      const [record, sweep] = await Promise.all([
        deps.store.getDocument(result.incidentId, 'record'),
        deps.store.getDocument(result.incidentId, SWEEP_DOCUMENT),
      ]);
      const start =
        isIncidentRecord(record) && sweep === undefined ? sweepStartOf(record, deps.config) : undefined;
      if (start && 'start' in start) await deps.sweeper.start(sweeperEventOf(result.incidentId, start.start));
    }
    logger.info(
      result.claim === 'completed'
        ? 're-delivered event: incident already finished'
        : 'duplicate event: another invocation is handling this incident now',
      { incidentId: result.incidentId, claim: result.claim },
    );
    return { incidentId: result.incidentId, outcome: `duplicate-${result.claim}` };
  }
  const outcome = outcomeOf(result.record);
  // After the containment report: the sweep never delays containment. A failed start throws, so
  // Lambda retries the event; the incident is complete, so the retry only starts the sweep again.
  const sweep = sweepStartOf(result.record, deps.config);
  if ('start' in sweep && deps.sweeper) {
    await deps.sweeper.start(sweeperEventOf(result.incidentId, sweep.start));
  }
  logger.info('incident handled', {
    incidentId: result.incidentId,
    outcome,
    resumed: result.record.resumed === true,
    detections: result.record.detections.map((d) => d.id),
    rejection: result.record.rejection,
    plan: result.record.plan,
    sweep: 'start' in sweep ? (deps.sweeper ? 'started' : 'no sweeper function') : sweep.skipped,
  });
  return { incidentId: result.incidentId, outcome };
};
