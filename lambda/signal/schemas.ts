/**
 * Lenient zod schemas for the events Cordon reads: the EventBridge envelope, CloudTrail records
 * (API calls, console sign-ins, service events, Insight events) and GuardDuty findings.
 *
 * Real events vary (fields come and go between services and event versions, third-party samples
 * drop or retype fields), so every field is optional and a field of the wrong type reads as absent
 * (`.catch(undefined)`) instead of failing the whole event: the parser decides what it can do
 * without it. Unknown keys are kept (`z.looseObject`). Field names follow the AWS documentation:
 * the CloudTrail `userIdentity` element and record contents, and the GuardDuty finding format.
 */
import { z } from 'zod';

/** A string field; any other type reads as absent. */
const str = z.string().optional().catch(undefined);

/** A string or a boolean (CloudTrail writes `mfaAuthenticated` as the string "true"/"false"). */
const strOrBool = z.union([z.string(), z.boolean()]).optional().catch(undefined);

/** A number, or a numeric string (some GuardDuty samples write the severity as a string). */
const numeric = z
  .union([z.number(), z.string()])
  .transform((value): number | undefined => {
    const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
    return Number.isFinite(n) ? n : undefined;
  })
  .optional()
  .catch(undefined);

/** A nested object whose own fields are lenient; anything else reads as absent. */
function lenient<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.looseObject(shape).optional().catch(undefined);
}

// ---------------------------------------------------------------------------------------------
// EventBridge
// ---------------------------------------------------------------------------------------------

export const EventBridgeEnvelopeSchema = z.looseObject({
  version: str,
  id: str,
  'detail-type': str,
  source: str,
  account: str,
  time: str,
  region: str,
  resources: z.array(z.unknown()).optional().catch(undefined),
  detail: z.unknown().optional(),
});
export type ParsedEnvelope = z.infer<typeof EventBridgeEnvelopeSchema>;

// ---------------------------------------------------------------------------------------------
// CloudTrail
// ---------------------------------------------------------------------------------------------

export const SessionIssuerSchema = z.looseObject({
  type: str,
  principalId: str,
  arn: str,
  accountId: str,
  userName: str,
});

export const UserIdentitySchema = z.looseObject({
  type: str,
  principalId: str,
  arn: str,
  accountId: str,
  accessKeyId: str,
  userName: str,
  invokedBy: str,
  sessionContext: lenient({
    sessionIssuer: lenient(SessionIssuerSchema.shape),
    attributes: lenient({ mfaAuthenticated: strOrBool, creationDate: str }),
    sourceIdentity: str,
    ec2RoleDelivery: str,
  }),
  /** IAM Identity Center users (`type` "IdentityCenterUser"). */
  onBehalfOf: lenient({ userId: str, identityStoreArn: str }),
  credentialId: str,
});
export type ParsedUserIdentity = z.infer<typeof UserIdentitySchema>;

export const CloudTrailRecordSchema = z.looseObject({
  eventVersion: str,
  eventTime: str,
  eventSource: str,
  eventName: str,
  eventType: str,
  eventCategory: str,
  eventID: str,
  awsRegion: str,
  sourceIPAddress: str,
  userAgent: str,
  errorCode: str,
  errorMessage: str,
  recipientAccountId: str,
  /** Checked by hand: its absence, or a value that is not an object, is reported by name. */
  userIdentity: z.unknown().optional(),
  additionalEventData: lenient({ MFAUsed: str }),
  insightDetails: z.unknown().optional(),
});
export type ParsedCloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;

// ---------------------------------------------------------------------------------------------
// GuardDuty
// ---------------------------------------------------------------------------------------------

const RemoteIpDetailsSchema = lenient({ ipAddressV4: str, ipAddressV6: str });

export const GuardDutyFindingSchema = z.looseObject({
  schemaVersion: str,
  accountId: str,
  region: str,
  partition: str,
  id: str,
  arn: str,
  type: str,
  severity: numeric,
  createdAt: str,
  updatedAt: str,
  title: str,
  resource: lenient({
    resourceType: str,
    accessKeyDetails: lenient({ accessKeyId: str, principalId: str, userName: str, userType: str }),
    instanceDetails: lenient({ instanceId: str, iamInstanceProfile: lenient({ arn: str }) }),
  }),
  service: lenient({
    serviceName: str,
    eventFirstSeen: str,
    eventLastSeen: str,
    archived: z.boolean().optional().catch(undefined),
    additionalInfo: lenient({ sample: z.boolean().optional().catch(undefined) }),
    action: lenient({
      actionType: str,
      awsApiCallAction: lenient({
        api: str,
        serviceName: str,
        errorCode: str,
        userAgent: str,
        callerType: str,
        remoteIpDetails: RemoteIpDetailsSchema,
      }),
      networkConnectionAction: lenient({ remoteIpDetails: RemoteIpDetailsSchema }),
      portProbeAction: lenient({
        portProbeDetails: z
          .array(z.looseObject({ remoteIpDetails: RemoteIpDetailsSchema }).optional().catch(undefined))
          .optional()
          .catch(undefined),
      }),
      kubernetesApiCallAction: lenient({ remoteIpDetails: RemoteIpDetailsSchema, userAgent: str }),
      rdsLoginAttemptAction: lenient({ remoteIpDetails: RemoteIpDetailsSchema }),
    }),
  }),
});
export type ParsedGuardDutyFinding = z.infer<typeof GuardDutyFindingSchema>;
