import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { enableGuardDutyDetector } from '../../../../../lambda/actions/reverts/iam-logging/guardduty-detector';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';

const FIXTURES = join(__dirname, '../../../../fixtures/detections/guardduty-detector-tampered');
const fixture = (name: string) =>
  (JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { detail: CloudTrailRecord }).detail;

describe('enable-guardduty-detector changesOf', () => {
  it('finds a disabled and a deleted detector', () => {
    expect(enableGuardDutyDetector.changesOf(fixture('positive-detector-suspended.json'))).toEqual([
      expect.objectContaining({
        region: 'us-east-1',
        target: 'detector/12c8e4a1b3f5d7e9a0b2c4d6e8f0a1b3',
        details: {
          tampering: 'disabled',
          detectorId: '12c8e4a1b3f5d7e9a0b2c4d6e8f0a1b3',
          accountId: '111122223333',
        },
      }),
    ]);
    expect(enableGuardDutyDetector.changesOf(fixture('positive-delete-detector.json'))).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ tampering: 'deleted' }) }),
    ]);
  });

  it('finds nothing in an update that keeps the detector enabled, or only changes its protection plans', () => {
    expect(enableGuardDutyDetector.changesOf(fixture('negative-publishing-frequency.json'))).toEqual([]);
    expect(enableGuardDutyDetector.changesOf(fixture('positive-protection-plan-disabled.json'))).toEqual([]);
    expect(enableGuardDutyDetector.changesOf(fixture('positive-archive-filter.json'))).toEqual([]);
  });

  it('finds nothing in a refused call', () => {
    expect(
      enableGuardDutyDetector.changesOf({
        ...fixture('positive-detector-suspended.json'),
        errorCode: 'AccessDenied',
      }),
    ).toEqual([]);
  });
});
