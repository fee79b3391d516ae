/**
 * Test support for the data reverters: CloudTrail records in the real format (EventBridge's
 * `detail`, the shape of test/fixtures/detections/), and the contexts a revert and an undo run in,
 * on the shared moto_server.
 */
import { randomUUID } from 'node:crypto';
import type {
  CloudTrailRecord,
  RevertClients,
  RevertContext,
  UndoContext,
} from '../../../../../lambda/actions/reverts/types';

/** moto's account. */
export const MOTO_ACCOUNT = '123456789012';

export interface RecordFields {
  readonly eventSource: string;
  readonly eventName: string;
  readonly requestParameters: unknown;
  readonly responseElements?: unknown;
  readonly region?: string;
  readonly accountId?: string;
  readonly errorCode?: string;
}

/** A management-event record as CloudTrail writes it, made by an attacker's access key. */
export function cloudTrailRecord(fields: RecordFields): CloudTrailRecord {
  const accountId = fields.accountId ?? MOTO_ACCOUNT;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDA5Q3KVBFT7EXAMPLE',
      arn: `arn:aws:iam::${accountId}:user/deploy-bot`,
      accountId,
      accessKeyId: 'AKIA5Q3KVBFTEXAMPLE7',
      userName: 'deploy-bot',
    },
    eventTime: '2026-12-02T01:00:00Z',
    eventSource: fields.eventSource,
    eventName: fields.eventName,
    awsRegion: fields.region ?? 'us-east-1',
    sourceIPAddress: '185.220.101.47',
    userAgent: 'aws-cli/2.22.4',
    ...(fields.errorCode ? { errorCode: fields.errorCode, errorMessage: 'Access Denied' } : {}),
    requestParameters: fields.requestParameters,
    responseElements: fields.responseElements ?? null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
  };
}

/** The context of a revert in moto's account. */
export function revertContext(clients: RevertClients, dryRun = false): RevertContext {
  return {
    clients,
    accountId: MOTO_ACCOUNT,
    incidentId: 'inc-data-reverts',
    dryRun,
    now: new Date('2026-12-02T01:30:00Z'),
    options: { terminateInstances: false },
  };
}

/** The context of an undo in moto's account. */
export function undoContext(clients: RevertClients, dryRun = false): UndoContext {
  return { clients, accountId: MOTO_ACCOUNT, dryRun };
}
