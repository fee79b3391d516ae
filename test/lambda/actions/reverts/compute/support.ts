/**
 * What the compute reverters' tests share: the account and region moto answers for, revert and
 * undo contexts on the shared emulator, and CloudTrail records in their real format (EventBridge's
 * `detail`, the shape of test/fixtures/detections/), filled with the emulator's ids.
 */
import { DescribeImagesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CloudTrailRecord,
  RevertClients,
  RevertContext,
  RevertOutcome,
  UndoContext,
} from '../../../../../lambda/actions/reverts/types';
import { emulatorRevertClients } from '../../../../support/revert-clients';
import { sharedMotoUrl } from '../../../../support/moto';

/** moto's account. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const NOW = new Date('2026-03-14T10:00:00Z');

export const emulatorClients = (): RevertClients => emulatorRevertClients(sharedMotoUrl());

export function revertContext(
  clients: RevertClients,
  more: { dryRun?: boolean; terminateInstances?: boolean; accountId?: string } = {},
): RevertContext {
  return {
    clients,
    accountId: more.accountId ?? ACCOUNT,
    incidentId: 'inc-compute-test',
    dryRun: more.dryRun ?? false,
    now: NOW,
    options: { terminateInstances: more.terminateInstances ?? false },
  };
}

export function undoContext(clients: RevertClients, dryRun = false): UndoContext {
  return { clients, accountId: ACCOUNT, dryRun };
}

/** A record as CloudTrail writes it for the attacker's access key. */
export function cloudTrailRecord(fields: {
  eventSource: string;
  eventName: string;
  requestParameters: unknown;
  responseElements: unknown;
  region?: string;
  account?: string;
  errorCode?: string;
}): CloudTrailRecord {
  const account = fields.account ?? ACCOUNT;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDA5Q3KVBFT7EXAMPLE',
      arn: `arn:aws:iam::${account}:user/deploy-bot`,
      accountId: account,
      accessKeyId: 'AKIA5Q3KVBFTEXAMPLE7',
      userName: 'deploy-bot',
    },
    eventTime: '2026-03-14T09:26:53Z',
    eventSource: fields.eventSource,
    eventName: fields.eventName,
    awsRegion: fields.region ?? REGION,
    sourceIPAddress: '185.220.101.47',
    userAgent: 'aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-49-generic lang/python#3.12.6',
    requestParameters: fields.requestParameters,
    responseElements: fields.errorCode ? null : fields.responseElements,
    ...(fields.errorCode
      ? { errorCode: fields.errorCode, errorMessage: 'You are not authorized to perform this operation.' }
      : {}),
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `ec2.${fields.region ?? REGION}.amazonaws.com`,
    },
  };
}

/** A RunInstances record that launched these instances (the shape of the detection fixtures). */
export function runInstancesRecord(
  instanceIds: readonly string[],
  more: { account?: string; errorCode?: string; imageId?: string } = {},
): CloudTrailRecord {
  const imageId = more.imageId ?? 'ami-0e2c8caa4b6378d8c';
  return cloudTrailRecord({
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    account: more.account,
    errorCode: more.errorCode,
    requestParameters: {
      instancesSet: { items: [{ imageId, minCount: 1, maxCount: instanceIds.length }] },
      blockDeviceMapping: {},
      monitoring: { enabled: false },
      disableApiTermination: false,
      disableApiStop: false,
      clientToken: randomUUID(),
      instanceType: 'p3.16xlarge',
    },
    responseElements: {
      requestId: randomUUID(),
      reservationId: 'r-0c2f8e1d4a6b9c037',
      ownerId: more.account ?? ACCOUNT,
      groupSet: {},
      instancesSet: {
        items: instanceIds.map((instanceId, index) => ({
          instanceId,
          imageId,
          instanceState: { code: 0, name: 'pending' },
          amiLaunchIndex: index,
          productCodes: {},
          instanceType: 'p3.16xlarge',
          launchTime: 1741944413000,
          placement: { availabilityZone: 'us-east-1b', tenancy: 'default' },
          monitoring: { state: 'disabled' },
          stateReason: { code: 'pending', message: 'pending' },
          architecture: 'x86_64',
          rootDeviceType: 'ebs',
          rootDeviceName: '/dev/sda1',
          blockDeviceMapping: {},
          virtualizationType: 'hvm',
          hypervisor: 'xen',
          groupSet: { items: [{ groupId: 'sg-0c1d2e3f4a5b69780', groupName: 'default' }] },
          sourceDestCheck: true,
          networkInterfaceSet: {},
          ebsOptimized: false,
        })),
      },
      requesterId: null,
    },
  });
}

/**
 * A CreateFleet record as CloudTrail logs it: the request and the XML answer turned to JSON,
 * wrapped in `CreateFleetRequest`/`CreateFleetResponse`; a list of one is `{item: {...}}`.
 */
export function createFleetRecord(
  type: 'instant' | 'maintain' | 'request' | undefined,
  fleetId: string,
  launched: readonly (readonly string[])[],
  more: { account?: string } = {},
): CloudTrailRecord {
  const one = <T>(values: readonly T[]): T | readonly T[] => (values.length === 1 ? values[0] : values);
  return cloudTrailRecord({
    eventSource: 'ec2.amazonaws.com',
    eventName: 'CreateFleet',
    account: more.account,
    requestParameters: {
      CreateFleetRequest: {
        TargetCapacitySpecification: { DefaultTargetCapacityType: 'on-demand', TotalTargetCapacity: 2 },
        ...(type ? { Type: type } : {}),
        LaunchTemplateConfigs: {
          LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abcd1234efgh5678', Version: '$Latest' },
          tag: 1,
        },
      },
    },
    responseElements: {
      CreateFleetResponse: {
        xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
        requestId: randomUUID(),
        fleetId,
        errorSet: '',
        fleetInstanceSet:
          launched.length === 0
            ? ''
            : {
                item: one(
                  launched.map((ids) => ({
                    lifecycle: 'on-demand',
                    instanceType: 'p3.2xlarge',
                    instanceIds: { item: one(ids) },
                  })),
                ),
              },
      },
    },
  });
}

/** An image moto has in the region. */
export async function anyImage(ec2: EC2Client): Promise<string> {
  const { Images } = await ec2.send(new DescribeImagesCommand({}));
  return Images![0].ImageId!;
}

export const statusesOf = (outcomes: readonly RevertOutcome[]) =>
  outcomes.map((o) => `${o.status} ${o.target}`);

/** A detection fixture's record (its EventBridge `detail`). */
export function fixtureRecord(path: string): CloudTrailRecord {
  const event = JSON.parse(
    readFileSync(join(__dirname, '../../../../fixtures/detections', path), 'utf8'),
  ) as {
    detail: CloudTrailRecord;
  };
  return event.detail;
}

/** Reverter clients for unit tests: the given EC2 and Lambda clients (mocked), any other service refused. */
export function mockedClients(clients: { ec2?: EC2Client; lambda?: LambdaClient }): RevertClients {
  const refuse = (service: string) => () => {
    throw new Error(`${service} is not used by the compute reverters`);
  };
  return {
    iam: new IAMClient({ region: REGION }),
    ec2: clients.ec2 ? () => clients.ec2! : refuse('ec2'),
    lambda: clients.lambda ? () => clients.lambda! : refuse('lambda'),
    s3: refuse('s3'),
    s3control: refuse('s3control'),
    rds: refuse('rds'),
    cloudtrail: refuse('cloudtrail'),
    guardduty: refuse('guardduty'),
  };
}
