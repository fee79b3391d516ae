import * as path from 'node:path';
import { CfnResource, Duration, Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ResponderProps {
  readonly roleName: string;
  /** The handler's source. Default: the responder. */
  readonly entry?: string;
  /** What the function is for, on its role. */
  readonly description?: string;
  readonly environment: Record<string, string>;
  readonly reservedConcurrency?: number;
  /** A fixed function name (the sweeper invokes itself by it). Default: generated. */
  readonly functionName?: string;
  /** Default: 2 minutes. */
  readonly timeout?: Duration;
}

export const RESPONDER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'handlers', 'responder.ts');
export const VERIFIER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'handlers', 'verifier.ts');
export const SWEEPER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'handlers', 'sweeper.ts');

/** Lambda asynchronous invocation: how often it retries a failed event and how long an event may wait. */
export const RESPONDER_ASYNC_RETRY_ATTEMPTS = 2;
export const RESPONDER_MAX_EVENT_AGE = Duration.hours(1);

/** Lambda's limit on a function's environment: all variables' names and values together, in bytes. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/**
 * The longest value a CDK token of the environment can resolve to at deploy time, by the resource
 * and attribute it refers to (`Ref` of a topic is its ARN, of a bucket or table its name).
 */
const TOKEN_MAX_LENGTHS: Readonly<Record<string, number>> = {
  'AWS::SNS::Topic.Ref': 256,
  'AWS::S3::Bucket.Ref': 63,
  'AWS::DynamoDB::Table.Ref': 255,
};
/** Any other token: counted as a name or ARN of usual maximum length. */
const UNKNOWN_TOKEN_MAX_LENGTH = 256;

function tokenMaxLength(token: unknown): number {
  if (token instanceof Reference && CfnResource.isCfnResource(token.target)) {
    return (
      TOKEN_MAX_LENGTHS[`${token.target.cfnResourceType}.${token.displayName}`] ?? UNKNOWN_TOKEN_MAX_LENGTH
    );
  }
  return UNKNOWN_TOKEN_MAX_LENGTH;
}

/** A fragment of a tokenized string as text (literals are strings; anything else is counted as JSON). */
function fragmentText(fragment: unknown): string {
  if (typeof fragment === 'string') return fragment;
  return fragment === undefined ? '' : (JSON.stringify(fragment) ?? '');
}

/** The bytes a value of the environment takes once deployed, each unresolved token at its longest. */
export function environmentValueBytes(value: string): number {
  if (!Token.isUnresolved(value)) return Buffer.byteLength(value, 'utf8');
  const longest: unknown = Tokenization.reverseString(value)
    .mapTokens({ mapToken: (token) => 'x'.repeat(tokenMaxLength(token)) })
    .join({ join: (left: unknown, right: unknown) => fragmentText(left) + fragmentText(right) });
  return Buffer.byteLength(fragmentText(longest), 'utf8');
}

/** The bytes the whole environment takes once deployed: every name and value. */
export function environmentBytes(environment: Readonly<Record<string, string>>): number {
  return Object.entries(environment).reduce(
    (total, [name, value]) => total + Buffer.byteLength(name, 'utf8') + environmentValueBytes(value),
    0,
  );
}

/** The largest top-level field of a JSON object value, described ("protectedPrincipals has 120 entries"). */
export function largestJsonField(
  value: string,
): { field: string; bytes: number; description: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const fields = Object.entries(parsed as Record<string, unknown>).map(([field, fieldValue]) => ({
    field,
    bytes: Buffer.byteLength(JSON.stringify(fieldValue) ?? '', 'utf8'),
    description: describeJsonField(field, fieldValue),
  }));
  return fields.sort((a, b) => b.bytes - a.bytes)[0];
}

function describeJsonField(field: string, value: unknown): string {
  if (Array.isArray(value)) return `${field} has ${value.length} entries`;
  if (value !== null && typeof value === 'object') return `${field} has ${Object.keys(value).length} keys`;
  if (typeof value === 'string') return `${field} is ${value.length} characters long`;
  return `${field} is ${JSON.stringify(value)}`;
}

/** The responder's environment would not fit Lambda's 4 KB: `cdk deploy` would fail, so synthesis does. */
export class LambdaEnvironmentTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
    message: string,
  ) {
    super(message);
    this.name = 'LambdaEnvironmentTooLargeError';
  }
}

/** Throws LambdaEnvironmentTooLargeError when the environment exceeds Lambda's limit, naming what is largest. */
export function assertEnvironmentFits(environment: Readonly<Record<string, string>>): void {
  const bytes = environmentBytes(environment);
  if (bytes <= LAMBDA_ENVIRONMENT_LIMIT_BYTES) return;
  const [largestName, largestValue] = Object.entries(environment).sort(
    ([, a], [, b]) => environmentValueBytes(b) - environmentValueBytes(a),
  )[0];
  const field = Token.isUnresolved(largestValue) ? undefined : largestJsonField(largestValue);
  const largest =
    `${largestName} is the largest variable (${environmentValueBytes(largestValue)} bytes)` +
    (field ? `; its largest field: ${field.description} (${field.bytes} bytes)` : '');
  throw new LambdaEnvironmentTooLargeError(
    bytes,
    LAMBDA_ENVIRONMENT_LIMIT_BYTES,
    `The responder Lambda's environment would take ${bytes} bytes, over Lambda's limit of ` +
      `${LAMBDA_ENVIRONMENT_LIMIT_BYTES} bytes (all variable names and values together; deploy-time ` +
      `names counted at their longest: topic ARN 256, bucket name 63, table name 255). ${largest}. ` +
      'Make the configuration smaller (fewer entries, or * patterns for protectedPrincipals).',
  );
}

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
    const environment = { NODE_OPTIONS: '--enable-source-maps', ...props.environment };
    assertEnvironmentFits(environment);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description ?? 'Cordon responder: contains compromised principals',
    });
    logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry ?? RESPONDER_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.minutes(2),
      ...(props.functionName ? { functionName: props.functionName } : {}),
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment,
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
