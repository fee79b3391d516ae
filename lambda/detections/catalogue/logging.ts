/** Logging turned off or weakened: CloudTrail, VPC flow logs, Route 53 Resolver query logs, AWS Config. */
import type { Detection, EventBridgeEvent } from '../types';
import { SUCCEEDED, apiCall, asList, at, isRecord, succeeded } from './shared';

const LOGGING_TAMPERING_RESPONSE =
  'Someone who turns logging off is hiding what comes next; a legitimate change goes through a ' +
  'pipeline role (which Cordon can be told to trust) rather than a person at 3 a.m. The principal is ' +
  'contained before it acts unseen, and the change is in the report so it can be undone.';

/** Whether the selectors of a PutEventSelectors call still record write management events. */
function writeManagementEventsRecorded(requestParameters: unknown): boolean {
  const classic = asList(at(requestParameters, 'eventSelectors')).filter(isRecord);
  const classicRecords = classic.some(
    (selector) => selector.includeManagementEvents !== false && selector.readWriteType !== 'ReadOnly',
  );
  const advanced = asList(at(requestParameters, 'advancedEventSelectors')).filter(isRecord);
  const advancedRecords = advanced.some((selector) => {
    const fields = asList(selector.fieldSelectors).filter(isRecord);
    const category = fields.find((field) => field.field === 'eventCategory');
    if (!category || !asList(category.Equals ?? category.equals).includes('Management')) return false;
    const readOnly = fields.find((field) => field.field === 'readOnly');
    const readOnlyValues = asList(readOnly?.Equals ?? readOnly?.equals);
    return !(readOnlyValues.includes('true') && !readOnlyValues.includes('false'));
  });
  return classicRecords || advancedRecords;
}

export const LOGGING_DETECTIONS: readonly Detection[] = [
  {
    id: 'cloudtrail-logging-tampered',
    title: 'CloudTrail logging stopped, deleted or weakened',
    severity: 'critical',
    source: 'cloudtrail',
    defaultResponse: 'contain',
    rationale:
      'StopLogging, DeleteTrail, an UpdateTrail that drops regions, global events or log validation or ' +
      'moves the logs to another bucket, or event selectors that stop recording write management events: ' +
      'the attacker is blinding the account. ' +
      LOGGING_TAMPERING_RESPONSE,
    mitre: 'T1562.008',
    pattern: () =>
      apiCall('cloudtrail', {
        ...SUCCEEDED,
        $or: [
          { eventName: ['StopLogging', 'DeleteTrail'] },
          { eventName: ['UpdateTrail'], requestParameters: { isMultiRegionTrail: [false] } },
          { eventName: ['UpdateTrail'], requestParameters: { includeGlobalServiceEvents: [false] } },
          { eventName: ['UpdateTrail'], requestParameters: { enableLogFileValidation: [false] } },
          { eventName: ['UpdateTrail'], requestParameters: { s3BucketName: [{ exists: true }] } },
          {
            eventName: ['PutEventSelectors'],
            requestParameters: { eventSelectors: { includeManagementEvents: [false] } },
          },
          {
            eventName: ['PutEventSelectors'],
            requestParameters: { eventSelectors: { readWriteType: ['ReadOnly'] } },
          },
          {
            eventName: ['PutEventSelectors'],
            requestParameters: { advancedEventSelectors: { fieldSelectors: { field: ['eventCategory'] } } },
          },
        ],
      }),
    refinement:
      'For PutEventSelectors, keeps the call only when no selector records write management events any ' +
      'more (a basic selector with includeManagementEvents not false and readWriteType not ReadOnly, or an ' +
      'advanced selector on eventCategory Management not limited to readOnly true): adding a data-event ' +
      'selector beside the management one is not tampering.',
    refine: (event: EventBridgeEvent) =>
      at(event, 'detail', 'eventName') !== 'PutEventSelectors' ||
      !writeManagementEventsRecorded(at(event, 'detail', 'requestParameters')),
  },
  {
    id: 'vpc-flow-logs-deleted',
    title: 'VPC flow logs deleted',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'contain',
    rationale:
      'Flow logs are the network record of what left the VPC; deleting them hides exfiltration and ' +
      'command-and-control traffic. ' +
      LOGGING_TAMPERING_RESPONSE,
    mitre: 'T1562.008',
    pattern: () => apiCall('ec2', succeeded(['DeleteFlowLogs'])),
  },
  {
    id: 'dns-query-logging-removed',
    title: 'Route 53 Resolver query logging deleted or detached',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'contain',
    rationale:
      'Resolver query logs show which domains the workloads looked up (mining pools, C2, exfiltration ' +
      'endpoints); deleting the configuration or detaching it from a VPC removes that record. ' +
      LOGGING_TAMPERING_RESPONSE,
    mitre: 'T1562.008',
    pattern: () =>
      apiCall(
        'route53resolver',
        succeeded(['DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig']),
      ),
  },
  {
    id: 'config-recording-stopped',
    title: 'AWS Config recording stopped or deleted',
    severity: 'high',
    source: 'cloudtrail',
    defaultResponse: 'contain',
    rationale:
      'AWS Config keeps the configuration history that shows what an attacker changed; stopping or ' +
      'deleting the recorder, or deleting the delivery channel, erases that history from then on. ' +
      LOGGING_TAMPERING_RESPONSE,
    mitre: 'T1562.008',
    pattern: () =>
      apiCall(
        'config',
        succeeded(['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel']),
      ),
  },
];
