/**
 * Test support for the doctor: an account of its own on the shared moto_server (trails, detectors
 * and rules are account-wide, so tests sharing the default account would see each other's), and
 * the staging of what a healthy Cordon account has: a logging multi-region trail, a GuardDuty
 * detector per region and Cordon's rules under the descriptions the stack gives them.
 */
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { CreateDetectorCommand } from '@aws-sdk/client-guardduty';
import { CreateBucketCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { randomInt } from 'node:crypto';
import { createDoctorClients, type DoctorClients } from '../../../lambda/doctor/clients';
import type { ExpectedRule } from '../../../lambda/doctor/expected-rules';
import { emulatorClientConfig, uniqueName } from '../../support/moto';

export interface DoctorAccount {
  readonly accountId: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  readonly clients: DoctorClients;
  /** The environment of a `cordon` run in this account. */
  readonly env: NodeJS.ProcessEnv;
}

/** A fresh moto account: moto's AssumeRole into a role ARN of another account acts in that account. */
export async function freshAccount(endpoint: string): Promise<DoctorAccount> {
  const accountId = String(randomInt(100_000_000_000, 999_999_999_999));
  const sts = new STSClient(emulatorClientConfig(endpoint));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/doctor`, RoleSessionName: 'doctor' }),
  );
  if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey || !Credentials.SessionToken)
    throw new Error('moto AssumeRole returned no credentials');
  const credentials = {
    accessKeyId: Credentials.AccessKeyId,
    secretAccessKey: Credentials.SecretAccessKey,
    sessionToken: Credentials.SessionToken,
  };
  return {
    accountId,
    credentials,
    clients: createDoctorClients({ endpoint, credentials }),
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
      CORDON_CONFIG_FILE: '',
    },
  };
}

/**
 * A trail (multi-region and logging unless told otherwise), its bucket made first as CloudTrail
 * requires. Returns its name and ARN: moto's StartLogging and StopLogging take the name only.
 */
export async function createTrail(
  endpoint: string,
  account: DoctorAccount,
  region: string,
  options: { multiRegion?: boolean; logging?: boolean } = {},
): Promise<{ name: string; arn: string }> {
  const name = uniqueName('doctor-trail');
  const bucket = name.toLowerCase();
  const settings = { ...emulatorClientConfig(endpoint, region), credentials: account.credentials };
  await new S3Client({ ...settings, forcePathStyle: true }).send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
  const cloudtrail = new CloudTrailClient(settings);
  const trail = await cloudtrail.send(
    new CreateTrailCommand({
      Name: name,
      S3BucketName: bucket,
      IsMultiRegionTrail: options.multiRegion ?? true,
      IncludeGlobalServiceEvents: true,
    }),
  );
  if (options.logging ?? true) await cloudtrail.send(new StartLoggingCommand({ Name: name }));
  if (!trail.TrailARN) throw new Error('moto CreateTrail returned no ARN');
  return { name, arn: trail.TrailARN };
}

export async function createDetector(
  account: DoctorAccount,
  region: string,
  frequency: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS' = 'FIFTEEN_MINUTES',
): Promise<string> {
  const { DetectorId } = await account.clients
    .guardduty(region)
    .send(new CreateDetectorCommand({ Enable: true, FindingPublishingFrequency: frequency }));
  if (!DetectorId) throw new Error('moto CreateDetector returned no id');
  return DetectorId;
}

/**
 * Cordon's rules as CloudFormation would name them (`<stack>-<logical id>-<random>`), each with the
 * stack's description and state. Returns the rule names by detection id.
 */
export async function createRules(
  account: DoctorAccount,
  region: string,
  expected: readonly ExpectedRule[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const client = account.clients.eventbridge(region);
  await Promise.all(
    expected.map(async (rule) => {
      const name =
        `Cordon-Detections${rule.detectionId.replace(/-/g, '')}-${randomInt(1e9).toString(36).toUpperCase()}`.slice(
          0,
          64,
        );
      await client.send(
        new PutRuleCommand({
          Name: name,
          Description: `${rule.descriptionPrefix}a title`,
          EventPattern: JSON.stringify({ source: ['aws.iam'] }),
          State: rule.state,
        }),
      );
      names.set(rule.detectionId, name);
    }),
  );
  return names;
}
