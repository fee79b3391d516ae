import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IAM_LOGGING_REVERTERS } from '../../../../../lambda/actions/reverts/iam-logging';
import { namesEvent } from '../../../../../lambda/actions/reverts/record-fields';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';
import { ACCOUNT_WIDE_ACTIONS } from '../../../../../lambda/actions/types';

const DETECTIONS = join(__dirname, '../../../../fixtures/detections');

/** What each positive fixture whose event one of these reverters names must give: the reverter, or none (and why). */
const EXPECTED: Record<string, string | null> = {
  'cloudtrail-logging-tampered/positive-stop-logging.json': 'restart-trail-logging',
  'cloudtrail-logging-tampered/positive-event-selectors-without-management-events.json':
    'restore-event-selectors',
  'cloudtrail-logging-tampered/positive-advanced-selectors-data-events-only.json': 'restore-event-selectors',
  'guardduty-detector-tampered/positive-detector-suspended.json': 'enable-guardduty-detector',
  'guardduty-detector-tampered/positive-delete-detector.json': 'enable-guardduty-detector',
  // The detector stays enabled; only protection plans are turned off: listed for review by the sweep.
  'guardduty-detector-tampered/positive-protection-plan-disabled.json': null,
};

function positives(): { file: string; record: CloudTrailRecord }[] {
  return ['cloudtrail-logging-tampered', 'guardduty-detector-tampered'].flatMap((folder) =>
    readdirSync(join(DETECTIONS, folder))
      .filter((name) => name.startsWith('positive-'))
      .map((name) => ({
        file: `${folder}/${name}`,
        record: (
          JSON.parse(readFileSync(join(DETECTIONS, folder, name), 'utf8')) as { detail: CloudTrailRecord }
        ).detail,
      })),
  );
}

describe('the persistence and logging reverters', () => {
  it('find a change in every positive detection fixture whose event is theirs', () => {
    const ours = positives().filter(({ record }) =>
      IAM_LOGGING_REVERTERS.some(
        (reverter) =>
          reverter.events.eventSource === record.eventSource &&
          namesEvent(reverter.events.eventNames, String(record.eventName)),
      ),
    );
    expect(ours.map(({ file }) => file).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const { file, record } of ours) {
      const found = IAM_LOGGING_REVERTERS.flatMap((reverter) => reverter.changesOf(record)).map(
        (change) => change.revert,
      );
      expect({ file, found }).toEqual({ file, found: EXPECTED[file] === null ? [] : [EXPECTED[file]] });
    }
  });

  it('have no reverter for DeleteTrail (the sweep lists it for review)', () => {
    const deleteTrail = positives().find(({ file }) => file.endsWith('positive-delete-trail.json'))!.record;
    expect(IAM_LOGGING_REVERTERS.flatMap((reverter) => reverter.changesOf(deleteTrail))).toEqual([]);
  });

  it('declare "*" only where an account-wide call needs it, and name each revert once', () => {
    for (const reverter of IAM_LOGGING_REVERTERS) {
      if ((reverter.resources ?? []).includes('*'))
        expect(
          reverter.permissions.some((action) => ACCOUNT_WIDE_ACTIONS.some((pattern) => pattern.test(action))),
        ).toBe(true);
    }
    const actions = IAM_LOGGING_REVERTERS.map((reverter) => reverter.action);
    expect(new Set(actions).size).toBe(actions.length);
    expect(actions).toEqual([
      'deactivate-created-access-key',
      'delete-login-profile',
      'restart-trail-logging',
      'restore-event-selectors',
      'enable-guardduty-detector',
    ]);
  });
});
