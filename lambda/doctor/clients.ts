/**
 * The regional CloudTrail, GuardDuty and EventBridge clients the doctor reads with: one client per
 * service and region, made on first use, with the responder's bounded retry and error context.
 * Endpoint, credentials and region come from the environment (AWS_ENDPOINT_URL for an emulator)
 * unless overridden.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { perRegion, RETRY, withErrorContext } from '../responder/clients';

/** Client settings for tests: an emulator endpoint and its (possibly temporary) credentials. */
export interface DoctorClientOverrides {
  readonly endpoint?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

export interface DoctorClients {
  readonly cloudtrail: (region: string) => CloudTrailClient;
  readonly guardduty: (region: string) => GuardDutyClient;
  readonly eventbridge: (region: string) => EventBridgeClient;
}

export function createDoctorClients(overrides: DoctorClientOverrides = {}): DoctorClients {
  const settings = (region: string) => ({ ...RETRY, region, ...overrides });
  return {
    cloudtrail: perRegion((region) => withErrorContext(new CloudTrailClient(settings(region)))),
    guardduty: perRegion((region) => withErrorContext(new GuardDutyClient(settings(region)))),
    eventbridge: perRegion((region) => withErrorContext(new EventBridgeClient(settings(region)))),
  };
}
