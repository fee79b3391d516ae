import { Logger } from '@aws-lambda-powertools/logger';
import { AwsIncidentStore } from '../incidents/aws-incident-store';
import { SnsReportPublisher } from '../notify/publisher';
import { createAwsClients } from '../responder/clients';
import { readResponderEnvironment } from '../responder/environment';
import { outcomeOf } from '../responder/incident-record';
import { respond, type ResponderDependencies } from '../responder/respond';

const logger = new Logger({ serviceName: 'cordon-responder' });

let dependencies: ResponderDependencies | undefined;

/** Clients and config are made once per container, on the first event. */
function responderDependencies(): ResponderDependencies {
  if (!dependencies) {
    const environment = readResponderEnvironment();
    const clients = createAwsClients();
    dependencies = {
      iam: clients.iam,
      config: environment.config,
      store: new AwsIncidentStore({
        s3: clients.s3,
        dynamodb: clients.dynamodb,
        bucket: environment.bucket,
        table: environment.table,
      }),
      publisher: new SnsReportPublisher(clients.sns, environment.topicArn),
    };
  }
  return dependencies;
}

/**
 * Entry point for EventBridge. Throws only when the incident could not be recorded or reported
 * (so that Lambda retries, then the on-failure destination keeps the event); an event it cannot
 * parse is recorded and reported like any other.
 */
export const handler = async (event: unknown): Promise<{ incidentId: string; outcome: string }> => {
  logger.info('event received', { event });
  const result = await respond(event, responderDependencies());
  if (result.duplicate) {
    logger.info('re-delivered event: incident already recorded', { incidentId: result.incidentId });
    return { incidentId: result.incidentId, outcome: 'duplicate' };
  }
  const outcome = outcomeOf(result.record);
  logger.info('incident handled', {
    incidentId: result.incidentId,
    outcome,
    detections: result.record.detections.map((d) => d.id),
    rejection: result.record.rejection,
    plan: result.record.plan,
  });
  return { incidentId: result.incidentId, outcome };
};
