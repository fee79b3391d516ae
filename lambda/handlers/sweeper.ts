import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { containerBase } from './container';
import { accountOfFunction } from './responder';
import { actionClientsOf } from '../responder/clients';
import { ownDeploymentOf } from '../responder/own-deployment';
import { enabledRegions } from '../sweep/regions';
import { lookupEventsClients } from '../sweep/lookup-events';
import { sweepOnce, type SweeperDependencies } from '../sweep/sweeper';
import { LambdaSweepStarter, sweepStartOfEvent, type SweeperEvent } from '../sweep/starter';

const logger = new Logger({ serviceName: 'cordon-sweeper' });

/** Time kept at the end of an invocation: the last page's actions, the save, the continuation. */
export const SWEEP_END_MARGIN_MS = 60_000;

function isSweeperEvent(event: unknown): event is SweeperEvent {
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof (event as { incidentId?: unknown }).incidentId === 'string'
  );
}

/**
 * Entry point: started asynchronously by the responder once containment is done, and by itself
 * when a sweep outlives one invocation (its state is saved after every page). Throws on a bad
 * event (kept by the on-failure destination) and on failures of the store or the topic, so that
 * Lambda retries: a retry continues from the saved state.
 */
export const handler = async (
  event: unknown,
  context: Pick<Context, 'invokedFunctionArn' | 'getRemainingTimeInMillis'>,
): Promise<{ incidentId: string; done: boolean }> => {
  if (!isSweeperEvent(event))
    throw new Error(`not a sweeper event (no incidentId): ${JSON.stringify(event)}`);
  const started = Date.now();
  const base = containerBase();
  const accountId = accountOfFunction(context);
  const { config } = base;
  const deps: SweeperDependencies = {
    clients: actionClientsOf(base.iam, base.ec2, base.services),
    cloudtrail: lookupEventsClients(),
    store: base.store,
    publisher: base.publisher,
    config,
    own: ownDeploymentOf(config, accountId),
    regions: () => enabledRegions(base.ec2(config.homeRegion), [config.homeRegion, ...config.regions]),
    onProgress: (progress) => logger.debug('page swept', { ...progress }),
  };
  const start = sweepStartOfEvent(event);
  const { state, report } = await sweepOnce(
    {
      incidentId: event.incidentId,
      ...(start ? { start } : {}),
      deadline: started + context.getRemainingTimeInMillis() - SWEEP_END_MARGIN_MS,
    },
    deps,
  );
  if (!state.done) {
    await new LambdaSweepStarter(base.services.lambda(config.homeRegion), context.invokedFunctionArn).start({
      incidentId: event.incidentId,
    });
    logger.info('sweep continues in a new invocation', { incidentId: event.incidentId, runs: state.runs });
  } else {
    logger.info('sweep done', { incidentId: event.incidentId, runs: state.runs, subject: report?.subject });
  }
  return { incidentId: event.incidentId, done: state.done };
};
