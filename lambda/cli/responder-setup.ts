import { ConfigError, DEFAULT_CONFIG_FILE, loadConfigSource, resolveConfigSource } from '../config/load';
import type { CordonConfig } from '../config/schema';
import { EVIDENCE_BUCKET_ENV } from '../incidents/aws-incident-store';
import { LocalIncidentStore } from '../incidents/local-incident-store';
import { S3IncidentStore } from '../incidents/s3-incident-store';
import type { IncidentStore } from '../incidents/store';
import { SnsReportPublisher, type ReportPublisher } from '../notify/publisher';
import { createAwsClients } from '../responder/clients';
import { TOPIC_ARN_ENV } from '../responder/environment';
import type { ResponderDependencies } from '../responder/respond';
import { callerAccount } from './caller-account';
import { inputError, type CliIo } from './usage';

/** The options every command that touches AWS shares. */
export const RESPONDER_OPTIONS = {
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  'evidence-bucket': { type: 'string' },
  config: { type: 'string' },
} as const;

export const RESPONDER_OPTIONS_USAGE = [
  '  --dry-run                plan and report everything, change nothing',
  '  --json                   print the incident record as JSON instead of the report',
  `  --evidence-bucket NAME   keep records in this S3 bucket (else $${EVIDENCE_BUCKET_ENV}, else .cordon/incidents/)`,
  `  --config FILE            configuration file (else $CORDON_CONFIG_FILE, else ${DEFAULT_CONFIG_FILE} in this folder, if any)`,
  '',
  'AWS credentials, region and endpoint come from the environment (AWS_ENDPOINT_URL for an emulator).',
  `Reports are printed; they are also published when $${TOPIC_ARN_ENV} names an SNS topic.`,
].join('\n');

const silentPublisher: ReportPublisher = { publish: () => Promise.resolve() };

/**
 * The config of `--config FILE`, else of $CORDON_CONFIG_FILE, else cordon.config.json (the same
 * precedence as `cdk synth`), relative names against io.cwd. A named file that does not exist, or a
 * bad one, is a UsageError (exit 2); only an absent default file means the defaults.
 */
export function loadCliConfig(path: string | undefined, io: CliIo): CordonConfig {
  try {
    return loadConfigSource(
      resolveConfigSource({ named: { file: path, by: '--config' }, env: io.env, cwd: io.cwd }),
    );
  } catch (error) {
    if (error instanceof ConfigError) throw inputError(error.message);
    throw error;
  }
}

export function cliIncidentStore(
  bucket: string | undefined,
  io: CliIo,
  s3: () => ReturnType<typeof createAwsClients>['s3'],
): IncidentStore {
  const name = bucket ?? io.env[EVIDENCE_BUCKET_ENV];
  return name ? new S3IncidentStore({ s3: s3(), bucket: name }) : new LocalIncidentStore({ cwd: io.cwd });
}

/** The responder's dependencies for a command-line run against the account in the environment. */
export function cliResponderDependencies(
  values: { 'evidence-bucket'?: string; config?: string },
  io: CliIo,
): ResponderDependencies {
  const config = loadCliConfig(values.config, io);
  const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  const clients = createAwsClients(region);
  const topicArn = io.env[TOPIC_ARN_ENV];
  return {
    iam: clients.iam,
    ec2: clients.ec2,
    services: clients.services,
    accountId: callerAccount(region),
    config,
    store: cliIncidentStore(values['evidence-bucket'], io, () => clients.s3),
    publisher: topicArn ? new SnsReportPublisher(clients.sns, topicArn) : silentPublisher,
  };
}
