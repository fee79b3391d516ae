/**
 * What the EC2 reverter tests share: CloudTrail records in the real format (EventBridge's `detail`,
 * as the fixtures under test/fixtures/detections/ have them) for calls the test made itself, and the
 * revert and undo contexts on the shared emulator.
 */
import { randomUUID } from 'node:crypto';
import { EC2Client } from '@aws-sdk/client-ec2';
import type {
  CloudTrailRecord,
  RevertClients,
  RevertContext,
  UndoContext,
} from '../../../../../lambda/actions/reverts/types';
import { emulatorRevertClients } from '../../../../support/revert-clients';
import { emulatorClientConfig, sharedMotoUrl } from '../../../../support/moto';

/** moto's account. */
export const EMULATOR_ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const NOW = new Date('2025-03-14T10:00:00Z');

/** A successful EC2 call as CloudTrail records it, by the attacker's access key. */
export function ec2Record(
  eventName: string,
  requestParameters: unknown,
  responseElements: unknown,
  overrides: Record<string, unknown> = {},
): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDA5Q3KVBFT7EXAMPLE',
      arn: `arn:aws:iam::${EMULATOR_ACCOUNT}:user/deploy-bot`,
      accountId: EMULATOR_ACCOUNT,
      accessKeyId: 'AKIA5Q3KVBFTEXAMPLE7',
      userName: 'deploy-bot',
    },
    eventTime: '2025-03-14T09:26:53Z',
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: REGION,
    sourceIPAddress: '185.220.101.47',
    userAgent: 'aws-cli/2.22.4 md/command#ec2',
    requestParameters,
    responseElements,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: EMULATOR_ACCOUNT,
    eventCategory: 'Management',
    ...overrides,
  };
}

export function emulatorEc2(): EC2Client {
  return new EC2Client(emulatorClientConfig(sharedMotoUrl(), REGION));
}

let clients: RevertClients | undefined;
/** The reverter clients on the shared emulator, made once per test file. */
function emulatorClients(): RevertClients {
  clients ??= emulatorRevertClients(sharedMotoUrl());
  return clients;
}

export function revertContext(dryRun: boolean): RevertContext {
  return {
    clients: emulatorClients(),
    accountId: EMULATOR_ACCOUNT,
    incidentId: 'inc-ec2-reverts',
    dryRun,
    now: NOW,
    options: { terminateInstances: false },
  };
}

export function undoContext(dryRun: boolean): UndoContext {
  return { clients: emulatorClients(), accountId: EMULATOR_ACCOUNT, dryRun };
}

afterAll(() => {
  clients?.ec2(REGION).destroy();
});
