import { parseConfig } from '../config/load';
import type { CordonConfig } from '../config/schema';
import { EVIDENCE_BUCKET_ENV, INCIDENTS_TABLE_ENV } from '../incidents/aws-incident-store';

export const CONFIG_ENV = 'CORDON_CONFIG';
export const TOPIC_ARN_ENV = 'CORDON_TOPIC_ARN';
/** The verification queue (the responder sends to it; unset for the verifier itself). */
export const VERIFY_QUEUE_URL_ENV = 'CORDON_VERIFY_QUEUE_URL';

export interface ResponderEnvironment {
  readonly config: CordonConfig;
  readonly topicArn: string;
  readonly bucket: string;
  readonly table: string;
  readonly verifyQueueUrl?: string;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`the responder needs the environment variable ${name} (set by the stack)`);
  return value;
}

/** What the stack hands the responder Lambda, validated once per container. */
export function readResponderEnvironment(env: NodeJS.ProcessEnv = process.env): ResponderEnvironment {
  let raw: unknown;
  try {
    raw = JSON.parse(required(env, CONFIG_ENV));
  } catch (error) {
    throw new Error(`${CONFIG_ENV} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return {
    config: parseConfig(raw, CONFIG_ENV),
    topicArn: required(env, TOPIC_ARN_ENV),
    bucket: required(env, EVIDENCE_BUCKET_ENV),
    table: required(env, INCIDENTS_TABLE_ENV),
    ...(env[VERIFY_QUEUE_URL_ENV] ? { verifyQueueUrl: env[VERIFY_QUEUE_URL_ENV] } : {}),
  };
}
