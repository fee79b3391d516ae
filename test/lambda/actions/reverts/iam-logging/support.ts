/**
 * What the persistence and logging reverter tests share: CloudTrail records in the real format
 * (EventBridge's `detail`, as the fixtures under test/fixtures/detections/ hold them), and the
 * revert and undo contexts on the shared moto_server.
 */
import { randomUUID } from 'node:crypto';
import type {
  CloudTrailRecord,
  RevertClients,
  RevertContext,
  UndoContext,
} from '../../../../../lambda/actions/reverts/types';
import { emulatorRevertClients } from '../../../../support/revert-clients';
import { sharedMotoUrl } from '../../../../support/moto';

/** moto's default account. */
export const MOTO_ACCOUNT = '123456789012';

export interface RecordFields {
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion?: string;
  readonly requestParameters?: unknown;
  readonly responseElements?: unknown;
  readonly recipientAccountId?: string;
  readonly errorCode?: string;
}

/** A record as CloudTrail writes it for an attacker's IAM user call. */
export function cloudTrailRecord(fields: RecordFields): CloudTrailRecord {
  const region = fields.awsRegion ?? 'us-east-1';
  const account = fields.recipientAccountId ?? MOTO_ACCOUNT;
  const service = fields.eventSource.split('.')[0];
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
    eventTime: '2025-03-14T09:26:53Z',
    eventSource: fields.eventSource,
    eventName: fields.eventName,
    awsRegion: region,
    sourceIPAddress: '185.220.101.47',
    userAgent: `aws-cli/2.22.4 md/command#${service}.${fields.eventName.toLowerCase()}`,
    ...(fields.errorCode ? { errorCode: fields.errorCode, errorMessage: 'refused' } : {}),
    requestParameters: fields.requestParameters ?? null,
    responseElements: fields.responseElements ?? null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

export function revertContext(
  dryRun: boolean,
  clients: RevertClients = emulatorRevertClients(sharedMotoUrl()),
  accountId = MOTO_ACCOUNT,
): RevertContext {
  return {
    clients,
    accountId,
    incidentId: 'incident-test',
    dryRun,
    now: new Date('2025-03-14T10:00:00Z'),
    options: { terminateInstances: false },
  };
}

export function undoContext(
  dryRun: boolean,
  clients: RevertClients = emulatorRevertClients(sharedMotoUrl()),
  accountId = MOTO_ACCOUNT,
): UndoContext {
  return { clients, accountId, dryRun };
}
