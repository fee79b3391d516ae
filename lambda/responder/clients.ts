import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The AWS clients Cordon uses, with adaptive retry (client-side rate limiting on throttling,
 * which IAM's per-account limits make likely when many changes go out at once). Endpoints,
 * region and credentials come from the environment (AWS_ENDPOINT_URL for an emulator).
 */
export interface AwsClients {
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly dynamodb: DynamoDBClient;
}

export const RETRY = { retryMode: 'adaptive', maxAttempts: 6 } as const;

export function createAwsClients(
  region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
): AwsClients {
  return {
    iam: new IAMClient({ ...RETRY, region }),
    // Path-style addressing works with every S3 endpoint, emulators included.
    s3: new S3Client({ ...RETRY, region, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) }),
    sns: new SNSClient({ ...RETRY, region }),
    dynamodb: new DynamoDBClient({ ...RETRY, region }),
  };
}
