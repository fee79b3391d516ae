/** The clients a reverter calls, pointed at an emulator (moto_server): one per service and region. */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { HttpRequest } from '@smithy/types';
import type { RevertClients } from '../../lambda/actions/reverts/types';
import { perRegion } from '../../lambda/responder/clients';
import { emulatorClientConfig } from './moto';

/**
 * S3 Control on the emulator: the SDK puts the account id in front of the host
 * (123456789012.127.0.0.1 is no URL), so the client talks to localhost and a middleware strips the
 * prefix again; moto reads the account from the x-amz-account-id header.
 */
function emulatorS3Control(url: string, region: string): S3ControlClient {
  const client = new S3ControlClient(emulatorClientConfig(url.replace('//127.0.0.1', '//localhost'), region));
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as HttpRequest;
      request.hostname = request.hostname.replace(/^\d{12}\./, '');
      return next(args);
    },
    { step: 'finalizeRequest', name: 'emulatorWithoutAccountHost' },
  );
  return client;
}

/** Every reverter client on the emulator at `url`. */
export function emulatorRevertClients(url: string): RevertClients {
  return {
    iam: new IAMClient(emulatorClientConfig(url)),
    ec2: perRegion((region) => new EC2Client(emulatorClientConfig(url, region))),
    s3: perRegion((region) => new S3Client({ ...emulatorClientConfig(url, region), forcePathStyle: true })),
    s3control: perRegion((region) => emulatorS3Control(url, region)),
    lambda: perRegion((region) => new LambdaClient(emulatorClientConfig(url, region))),
    rds: perRegion((region) => new RDSClient(emulatorClientConfig(url, region))),
    cloudtrail: perRegion((region) => new CloudTrailClient(emulatorClientConfig(url, region))),
    guardduty: perRegion((region) => new GuardDutyClient(emulatorClientConfig(url, region))),
  };
}

/** IAM and EC2 as given; every other service fails loudly if called (a test of IAM and EC2 actions only). */
export function iamAndEc2Only(iam: IAMClient, ec2: (region: string) => EC2Client): RevertClients {
  const unused = (service: string) => (): never => {
    throw new Error(`this test gives no ${service} client`);
  };
  return {
    iam,
    ec2,
    s3: unused('S3'),
    s3control: unused('S3 Control'),
    lambda: unused('Lambda'),
    rds: unused('RDS'),
    cloudtrail: unused('CloudTrail'),
    guardduty: unused('GuardDuty'),
  };
}
