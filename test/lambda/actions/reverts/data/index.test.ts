/**
 * The data reverters together: each positive fixture of the detections they answer gives at least
 * one change, each negative of the share detections none where nothing public was added, and
 * their declarations follow the contract (revertShares, '*' only for ACCOUNT_WIDE_ACTIONS).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_REVERTERS } from '../../../../../lambda/actions/reverts/data';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';
import { ACCOUNT_WIDE_ACTIONS } from '../../../../../lambda/actions/types';

const FIXTURES = join(__dirname, '../../../../fixtures/detections');
const DETECTIONS = [
  's3-bucket-acl-made-public',
  's3-bucket-policy-made-public',
  's3-public-access-block-disabled',
  'lambda-function-made-public',
  'rds-snapshot-shared',
];

function fixtures(detection: string, kind: 'positive' | 'negative'): [string, CloudTrailRecord][] {
  const folder = join(FIXTURES, detection);
  return readdirSync(folder)
    .filter((file) => file.startsWith(`${kind}-`) && file.endsWith('.json'))
    .map((file) => {
      const event = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { detail: CloudTrailRecord };
      return [`${detection}/${file}`, event.detail];
    });
}

const changesOf = (record: CloudTrailRecord) =>
  DATA_REVERTERS.flatMap((reverter) => reverter.changesOf(record));

describe('the data reverters', () => {
  const positives = DETECTIONS.flatMap((detection) => fixtures(detection, 'positive'));

  it('have positive fixtures to read', () => {
    expect(positives.length).toBeGreaterThanOrEqual(DETECTIONS.length);
  });

  it.each(positives)('find a change in %s', (_, record) => {
    expect(changesOf(record).length).toBeGreaterThan(0);
  });

  it.each([
    ['s3-bucket-acl-made-public', 'negative-canned-private.json'],
    ['s3-bucket-acl-made-public', 'negative-log-delivery-grant.json'],
    ['s3-bucket-policy-made-public', 'negative-refine-vpc-endpoint-only.json'],
    ['s3-public-access-block-disabled', 'negative-bucket-block-all-on.json'],
    ['s3-public-access-block-disabled', 'negative-delete-denied.json'],
    ['rds-snapshot-shared', 'negative-nothing-added.json'],
    ['rds-snapshot-shared', 'negative-share-removed.json'],
  ])('find nothing in %s/%s', (detection, file) => {
    const event = JSON.parse(readFileSync(join(FIXTURES, detection, file), 'utf8')) as {
      detail: CloudTrailRecord;
    };
    expect(changesOf(event.detail)).toEqual([]);
  });

  it('give one reverter per record of the account or a bucket, never both', () => {
    for (const [, record] of fixtures('s3-public-access-block-disabled', 'positive')) {
      expect(changesOf(record)).toHaveLength(1);
    }
  });

  it('never throw on any input', () => {
    for (const input of [null, undefined, 42, 'text', [], {}, { eventName: 'PutBucketAcl' }]) {
      expect(changesOf(input as unknown as CloudTrailRecord)).toEqual([]);
    }
  });

  it('are switched by revertShares, have distinct names, and declare "*" only for account-wide calls', () => {
    expect(new Set(DATA_REVERTERS.map((reverter) => reverter.action)).size).toBe(DATA_REVERTERS.length);
    for (const reverter of DATA_REVERTERS) {
      expect(reverter.sweepSwitch).toBe('revertShares');
      expect(reverter.permissions.length).toBeGreaterThan(0);
      expect(reverter.restorePermissions.length).toBeGreaterThan(0);
      if (reverter.resources?.includes('*')) {
        for (const action of [...reverter.permissions, ...reverter.restorePermissions]) {
          expect(ACCOUNT_WIDE_ACTIONS.some((pattern) => pattern.test(action))).toBe(true);
        }
      }
    }
  });
});
