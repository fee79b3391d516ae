import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { emulatorClientConfig, uniqueName } from './moto';

/** An evidence bucket and an incidents table shaped as the stack makes them, on the emulator. */
export async function createEmulatedEvidence(url: string): Promise<{ bucket: string; table: string }> {
  const config = emulatorClientConfig(url);
  const bucket = uniqueName('evidence').toLowerCase();
  const table = uniqueName('incidents');
  await Promise.all([
    new S3Client({ ...config, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: bucket })),
    new DynamoDBClient(config).send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    ),
  ]);
  return { bucket, table };
}
