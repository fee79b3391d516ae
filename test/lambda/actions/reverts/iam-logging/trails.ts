/** A CloudTrail trail on the emulator (with the S3 bucket moto requires), for the trail reverter tests. */
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../../../support/moto';

export function cloudTrailIn(region: string): CloudTrailClient {
  return new CloudTrailClient(emulatorClientConfig(sharedMotoUrl(), region));
}

/** A new trail in the region, not logging yet; its name and ARN. */
export async function createTrail(region: string): Promise<{ name: string; arn: string }> {
  const bucket = uniqueName('trail-logs').toLowerCase();
  const s3 = new S3Client({ ...emulatorClientConfig(sharedMotoUrl(), region), forcePathStyle: true });
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as 'eu-west-1' } }),
    }),
  );
  const name = uniqueName('org-trail');
  const trail = await cloudTrailIn(region).send(new CreateTrailCommand({ Name: name, S3BucketName: bucket }));
  return { name, arn: trail.TrailARN! };
}
