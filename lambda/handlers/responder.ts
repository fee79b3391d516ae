import { Logger } from '@aws-lambda-powertools/logger';

const logger = new Logger({ serviceName: 'cordon-responder' });

/** Entry point for EventBridge: logs the incoming event as structured JSON. */
export const handler = async (event: unknown): Promise<void> => {
  logger.info('event received', { event });
  return Promise.resolve();
};
