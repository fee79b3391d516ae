import {
  describeUnknownObject,
  isCloudTrailLogFile,
  isCloudTrailRecord,
  isEnvelope,
  isGuardDutyFinding,
  isRecord,
} from '../../../lambda/signal/shapes';

describe('shapes', () => {
  it('tells an EventBridge event by detail-type, or by detail with source', () => {
    expect(isEnvelope({ 'detail-type': 'x' })).toBe(true);
    expect(isEnvelope({ detail: {}, source: 'aws.iam' })).toBe(true);
    expect(isEnvelope({ detail: {} })).toBe(false);
  });

  it('tells a CloudTrail record by eventVersion, eventSource or userIdentity', () => {
    for (const key of ['eventVersion', 'eventSource', 'userIdentity']) {
      expect(isCloudTrailRecord({ [key]: undefined })).toBe(true);
    }
    expect(isCloudTrailRecord({ useridentity: {} })).toBe(false);
  });

  it('tells a GuardDuty finding by a type with a schemaVersion or a GuardDuty ARN', () => {
    expect(isGuardDutyFinding({ type: 'Recon:IAMUser/TorIPCaller', schemaVersion: '2.0' })).toBe(true);
    expect(
      isGuardDutyFinding({ type: 'x', arn: 'arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/f' }),
    ).toBe(true);
    expect(isGuardDutyFinding({ type: 'x' })).toBe(false);
    expect(isGuardDutyFinding({ type: 1, schemaVersion: '2.0' })).toBe(false);
  });

  it('tells a CloudTrail log file, and objects from arrays and null', () => {
    expect(isCloudTrailLogFile({ Records: [] })).toBe(true);
    expect(isCloudTrailLogFile({ Records: {} })).toBe(false);
    expect(isCloudTrailLogFile([])).toBe(false);
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
  });

  it('reads only own keys', () => {
    const inherited = Object.create({ 'detail-type': 'x', eventVersion: '1' }) as Record<string, unknown>;
    expect(isEnvelope(inherited)).toBe(false);
    expect(isCloudTrailRecord(inherited)).toBe(false);
  });

  it('says what an unknown object looks like', () => {
    expect(describeUnknownObject({ useridentity: {} })).toContain('lower-case CloudTrail keys');
    expect(describeUnknownObject({ Records: [1, 2] })).toContain('CloudTrail log file with 2 Records');
    expect(describeUnknownObject({ CloudTrailEvent: '{}' })).toContain('LookupEvents');
    expect(describeUnknownObject({})).toContain('it has no keys');
  });
});
