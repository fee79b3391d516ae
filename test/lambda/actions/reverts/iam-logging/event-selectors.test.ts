import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { restoreEventSelectors } from '../../../../../lambda/actions/reverts/iam-logging/event-selectors';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';
import { cloudTrailRecord } from './support';

const FIXTURES = join(__dirname, '../../../../fixtures/detections/cloudtrail-logging-tampered');
const fixture = (name: string) =>
  (JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { detail: CloudTrailRecord }).detail;

const put = (requestParameters: unknown, errorCode?: string) =>
  cloudTrailRecord({
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'PutEventSelectors',
    requestParameters,
    ...(errorCode ? { errorCode } : {}),
  });

describe('restore-event-selectors changesOf', () => {
  it('finds the selectors that stop logging management events, basic and advanced', () => {
    for (const name of [
      'positive-event-selectors-without-management-events.json',
      'positive-advanced-selectors-data-events-only.json',
    ])
      expect(restoreEventSelectors.changesOf(fixture(name))).toEqual([
        expect.objectContaining({
          revert: 'restore-event-selectors',
          target: 'trail/org-management-events',
          details: { trailName: 'org-management-events', accountId: '111122223333', trailAccountId: null },
        }),
      ]);
  });

  it('finds read-only management events (basic, and advanced with a readOnly filter)', () => {
    expect(
      restoreEventSelectors.changesOf(
        put({
          trailName: 't-1',
          eventSelectors: [{ readWriteType: 'WriteOnly', includeManagementEvents: true }],
        }),
      ),
    ).toHaveLength(1);
    expect(
      restoreEventSelectors.changesOf(
        put({
          trailName: 't-1',
          advancedEventSelectors: [
            {
              name: 'm',
              fieldSelectors: [
                { field: 'eventCategory', equals: ['Management'] },
                { field: 'readOnly', equals: ['true'] },
              ],
            },
          ],
        }),
      ),
    ).toHaveLength(1);
  });

  it('finds nothing when management events stay fully logged, the call failed, or no selectors are named', () => {
    expect(
      restoreEventSelectors.changesOf(fixture('negative-refine-advanced-selectors-keep-management.json')),
    ).toEqual([]);
    expect(
      restoreEventSelectors.changesOf(fixture('negative-refine-data-event-selector-added.json')),
    ).toEqual([]);
    expect(
      restoreEventSelectors.changesOf(
        put({ trailName: 't-1', eventSelectors: [{ includeManagementEvents: false }] }, 'AccessDenied'),
      ),
    ).toEqual([]);
    expect(restoreEventSelectors.changesOf(put({ trailName: 't-1' }))).toEqual([]);
    expect(restoreEventSelectors.changesOf(fixture('positive-delete-trail.json'))).toEqual([]);
  });
});
