import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deactivateCreatedAccessKey } from '../../../../../lambda/actions/reverts/iam-logging/created-access-key';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';
import { cloudTrailRecord } from './support';

const FIXTURES = join(__dirname, '../../../../fixtures/detections/iam-access-key-created-for-another-user');
const fixture = (name: string) =>
  (JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { detail: CloudTrailRecord }).detail;

describe('deactivate-created-access-key changesOf', () => {
  it('finds the key and the user the request names', () => {
    expect(deactivateCreatedAccessKey.changesOf(fixture('positive-by-iam-user.json'))).toEqual([
      {
        revert: 'deactivate-created-access-key',
        region: 'us-east-1',
        target: 'access-key/AKIA5Q3KVBFTNEWKEY01',
        eventId: expect.any(String),
        eventName: 'CreateAccessKey',
        eventTime: '2025-03-14T09:26:53Z',
        details: { accessKeyId: 'AKIA5Q3KVBFTNEWKEY01', userName: 'alice', accountId: '111122223333' },
      },
    ]);
  });

  it("reads the user from the response when the request names none (the caller's own key)", () => {
    expect(deactivateCreatedAccessKey.changesOf(fixture('negative-own-user-implicit.json'))).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ userName: 'deploy-bot' }) }),
    ]);
  });

  it('finds nothing in a refused call, a response without a key, or another event', () => {
    expect(deactivateCreatedAccessKey.changesOf(fixture('negative-limit-exceeded.json'))).toEqual([]);
    expect(
      deactivateCreatedAccessKey.changesOf(
        cloudTrailRecord({
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateAccessKey',
          requestParameters: { userName: 'a' },
        }),
      ),
    ).toEqual([]);
    expect(
      deactivateCreatedAccessKey.changesOf(
        cloudTrailRecord({
          eventSource: 'iam.amazonaws.com',
          eventName: 'UpdateAccessKey',
          requestParameters: { userName: 'a', accessKeyId: 'AKIA1', status: 'Active' },
        }),
      ),
    ).toEqual([]);
  });

  it('never throws on malformed records', () => {
    for (const record of [null, 42, 'x', {}, { eventName: 'CreateAccessKey', responseElements: 'nope' }])
      expect(deactivateCreatedAccessKey.changesOf(record as CloudTrailRecord)).toEqual([]);
  });
});
