import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ResponderProps {
  readonly roleName: string;
  readonly environment: Record<string, string>;
  readonly reservedConcurrency?: number;
}

export const RESPONDER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'handlers', 'responder.ts');

/** Lambda asynchronous invocation: how often it retries a failed event and how long an event may wait. */
export const RESPONDER_ASYNC_RETRY_ATTEMPTS = 2;
export const RESPONDER_MAX_EVENT_AGE = Duration.hours(1);

/**
 * The responder Lambda with its own role, log group, and a dead-letter queue that receives every
 * event it could not handle (failed invocations and undeliverable rule targets alike).
 */
export class Responder extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ResponderProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Cordon responder: contains compromised principals',
    });
    logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: RESPONDER_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.minutes(2),
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      retryAttempts: RESPONDER_ASYNC_RETRY_ATTEMPTS,
      maxEventAge: RESPONDER_MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
      projectRoot: path.join(__dirname, '..', '..'),
      depsLockFilePath: path.join(__dirname, '..', '..', 'package-lock.json'),
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.CJS,
        forceDockerBundling: false,
        // The Node 22 runtime ships SDK v3, but bundling pins the version we test against.
        externalModules: [],
      },
    });
  }
}
