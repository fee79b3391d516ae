import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { RevertClients } from '../actions/reverts/types';
import { AWS_OPERATION_PROPERTY, type AwsOperation } from '../actions/types';

/**
 * The AWS clients Cordon uses, with bounded retry (see RETRY). Endpoints, region and credentials
 * come from the environment (AWS_ENDPOINT_URL for an emulator).
 * Every error a call throws carries the call's service and operation (see withErrorContext).
 */
export interface AwsClients {
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly dynamodb: DynamoDBClient;
  /** EC2 in a region (an instance is contained where it runs): one client per region, made on first use. */
  readonly ec2: (region: string) => EC2Client;
  /** The other services reverts call, per region, made on first use. */
  readonly services: ServiceClients;
}

/**
 * Standard retry, at most 3 attempts per call: each call retries on its own, with exponential
 * back-off and jitter (at most 0.1 s then 0.2 s; 0.5 s then 1 s after a throttle), so a throttled
 * call costs at most about 1.5 s and delays no other call. Not `adaptive`: its client-side rate
 * limiter is shared by every call of the client and, after one throttle, slows every later call,
 * the deny's fallbacks and the keys included, which containment's dataflow must not allow. Not
 * more attempts: a call still refused after three is reported as a failed outcome with IAM's
 * error (and the Lambda's own retry runs the idempotent plan again) rather than holding the
 * containment for seconds more.
 */
export const RETRY = { retryMode: 'standard', maxAttempts: 3 } as const;

/** Settings that replace the environment's, for tests against an emulator. */
export interface AwsClientOverrides {
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly maxAttempts?: number;
}

export const ERROR_CONTEXT_MIDDLEWARE = 'cordonErrorContext';

/** `IAMClient` gives `IAM`, `ListServiceSpecificCredentialsCommand` gives `ListServiceSpecificCredentials`. */
function operationOf(context: HandlerExecutionContext): AwsOperation {
  return {
    service: (context.clientName ?? 'AWS').replace(/Client$/, ''),
    operation: (context.commandName ?? 'call').replace(/Command$/, ''),
  };
}

function attachOperation(error: unknown, operation: AwsOperation): void {
  if (typeof error !== 'object' || error === null || Object.hasOwn(error, AWS_OPERATION_PROPERTY)) return;
  try {
    Object.defineProperty(error, AWS_OPERATION_PROPERTY, { value: operation, enumerable: false });
  } catch {
    // A frozen error keeps its own message: errorOf then names no operation.
  }
}

/**
 * Adds, once, a middleware that attaches the call's service and operation (from the handler context)
 * to every error the call throws, after the SDK's retries: errorOf uses them to say which call got an
 * answer that was not an AWS API's. Returns the client.
 */
export function withErrorContext<
  Input extends object,
  Output extends MetadataBearer,
  Client extends { readonly middlewareStack: MiddlewareStack<Input, Output> },
>(client: Client): Client {
  client.middlewareStack.add(
    (next: InitializeHandler<Input, Output>, context: HandlerExecutionContext) =>
      async (args: InitializeHandlerArguments<Input>) => {
        try {
          return await next(args);
        } catch (error) {
          attachOperation(error, operationOf(context));
          throw error;
        }
      },
    { step: 'initialize', name: ERROR_CONTEXT_MIDDLEWARE, override: true },
  );
  return client;
}

export function createAwsClients(
  region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
  overrides: AwsClientOverrides = {},
): AwsClients {
  const settings = { ...RETRY, region, ...overrides };
  return {
    iam: withErrorContext(new IAMClient(settings)),
    // Path-style addressing works with every S3 endpoint, emulators included.
    s3: withErrorContext(
      new S3Client({
        ...settings,
        forcePathStyle: Boolean(overrides.endpoint ?? process.env.AWS_ENDPOINT_URL),
      }),
    ),
    sns: withErrorContext(new SNSClient(settings)),
    dynamodb: withErrorContext(new DynamoDBClient(settings)),
    ec2: regionalEc2Clients(overrides),
    services: regionalServiceClients(overrides),
  };
}

/** Clients of one service by region, each made once on first use. */
export function perRegion<C>(make: (region: string) => C): (region: string) => C {
  const clients = new Map<string, C>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
}

/** EC2 clients by region, each made once, with the same retry and error context as the others. */
export function regionalEc2Clients(overrides: AwsClientOverrides = {}): (region: string) => EC2Client {
  return perRegion((region) => withErrorContext(new EC2Client({ ...RETRY, region, ...overrides })));
}

/** The regional clients reverters call beside IAM and EC2 (S3, S3 Control, Lambda, RDS, CloudTrail, GuardDuty). */
export type ServiceClients = Omit<RevertClients, 'iam' | 'ec2'>;

export function regionalServiceClients(overrides: AwsClientOverrides = {}): ServiceClients {
  // Path-style addressing works with every S3 endpoint, emulators included.
  const pathStyle = Boolean(overrides.endpoint ?? process.env.AWS_ENDPOINT_URL);
  const settings = (region: string) => ({ ...RETRY, region, ...overrides });
  return {
    s3: perRegion((region) =>
      withErrorContext(new S3Client({ ...settings(region), forcePathStyle: pathStyle })),
    ),
    s3control: perRegion((region) => withErrorContext(new S3ControlClient(settings(region)))),
    lambda: perRegion((region) => withErrorContext(new LambdaClient(settings(region)))),
    rds: perRegion((region) => withErrorContext(new RDSClient(settings(region)))),
    cloudtrail: perRegion((region) => withErrorContext(new CloudTrailClient(settings(region)))),
    guardduty: perRegion((region) => withErrorContext(new GuardDutyClient(settings(region)))),
  };
}

/** Every client an action may call: the given IAM and EC2 ones, the others made from the environment when not given. */
export function actionClientsOf(
  iam: IAMClient,
  ec2: ((region: string) => EC2Client) | undefined,
  services: ServiceClients | undefined,
): RevertClients {
  return { iam, ec2: ec2 ?? regionalEc2Clients(), ...(services ?? regionalServiceClients()) };
}
