import { randomUUID } from 'node:crypto';

/**
 * A GuardDuty finding as EventBridge delivers it, in the documented format: an IAM user's key used
 * from an IP on a custom threat list (UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom).
 */
export function maliciousIpCallerFinding(input: {
  accountId: string;
  userName: string;
  accessKeyId: string;
  region?: string;
  severity?: number;
  time?: Date;
}): Record<string, unknown> {
  const region = input.region ?? 'us-east-1';
  const time = (input.time ?? new Date()).toISOString();
  const findingId = randomUUID().replace(/-/g, '');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: input.accountId,
    time,
    region,
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId: input.accountId,
      region,
      partition: 'aws',
      id: findingId,
      arn: `arn:aws:guardduty:${region}:${input.accountId}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/${findingId}`,
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
      resource: {
        resourceType: 'AccessKey',
        accessKeyDetails: {
          accessKeyId: input.accessKeyId,
          principalId: 'AIDACKCEVSQ6C2EXAMPLE',
          userName: input.userName,
          userType: 'IAMUser',
        },
      },
      service: {
        serviceName: 'guardduty',
        detectorId: '12abc34d567e8fa901bc2d34e56789f0',
        action: {
          actionType: 'AWS_API_CALL',
          awsApiCallAction: {
            api: 'ListUsers',
            serviceName: 'iam.amazonaws.com',
            callerType: 'Remote IP',
            remoteIpDetails: {
              ipAddressV4: '198.51.100.23',
              organization: { asn: '64496', asnOrg: 'EXAMPLE-NET', isp: 'Example ISP', org: 'Example' },
              country: { countryName: 'Unknown' },
            },
            affectedResources: {},
          },
        },
        resourceRole: 'TARGET',
        additionalInfo: { threatListName: 'customer-threat-list' },
        eventFirstSeen: time,
        eventLastSeen: time,
        archived: false,
        count: 3,
      },
      severity: input.severity ?? 5,
      createdAt: time,
      updatedAt: time,
      title: `API ListUsers was invoked from an IP address on a custom threat list.`,
      description: `API ListUsers, commonly used in Discovery tactics, was invoked by user ${input.userName} from an IP address 198.51.100.23 on a custom threat list.`,
    },
  };
}
