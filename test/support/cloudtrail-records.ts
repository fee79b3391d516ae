/**
 * Real-format CloudTrail records for tests, as LookupEvents' CloudTrailEvent and EventBridge's
 * detail carry them: one builder for the identity and envelope fields, the call's own request and
 * response given by each test (with the emulator's ids).
 */
import { randomUUID } from 'node:crypto';
import type { CloudTrailRecord } from '../../lambda/actions/reverts/types';

export const RECORD_ACCOUNT = '123456789012';

export interface RecordOf {
  readonly accessKeyId: string;
  readonly userName: string;
  readonly region: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly time: Date;
  readonly readOnly?: boolean;
  readonly requestParameters?: unknown;
  readonly responseElements?: unknown;
  /** The identity: an IAM user's by default; a role session's when given. */
  readonly session?: { readonly roleName: string; readonly sessionName: string };
  readonly eventId?: string;
}

export function cloudTrailRecord(of: RecordOf): CloudTrailRecord {
  const userIdentity = of.session
    ? {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLEROLEID0001:${of.session.sessionName}`,
        arn: `arn:aws:sts::${RECORD_ACCOUNT}:assumed-role/${of.session.roleName}/${of.session.sessionName}`,
        accountId: RECORD_ACCOUNT,
        accessKeyId: of.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLEROLEID0001',
            arn: `arn:aws:iam::${RECORD_ACCOUNT}:role/${of.session.roleName}`,
            accountId: RECORD_ACCOUNT,
            userName: of.session.roleName,
          },
          attributes: { creationDate: of.time.toISOString(), mfaAuthenticated: 'false' },
        },
      }
    : {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLEUSERID0001',
        arn: `arn:aws:iam::${RECORD_ACCOUNT}:user/${of.userName}`,
        accountId: RECORD_ACCOUNT,
        accessKeyId: of.accessKeyId,
        userName: of.userName,
      };
  return {
    eventVersion: '1.09',
    userIdentity,
    eventTime: of.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: of.eventSource,
    eventName: of.eventName,
    awsRegion: of.region,
    sourceIPAddress: '203.0.113.77',
    userAgent: 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9',
    requestParameters: of.requestParameters ?? null,
    responseElements: of.responseElements ?? null,
    requestID: randomUUID(),
    eventID: of.eventId ?? randomUUID(),
    readOnly: of.readOnly ?? false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: RECORD_ACCOUNT,
    eventCategory: 'Management',
  };
}
