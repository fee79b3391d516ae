import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteChangedLoginProfile } from '../../../../../lambda/actions/reverts/iam-logging/login-profile';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';
import { cloudTrailRecord, revertContext } from './support';

const FIXTURES = join(
  __dirname,
  '../../../../fixtures/detections/iam-login-profile-changed-for-another-user',
);
const fixture = (name: string) =>
  (JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { detail: CloudTrailRecord }).detail;

describe('delete-login-profile changesOf', () => {
  it('finds the user of a created and of a reset password', () => {
    expect(deleteChangedLoginProfile.changesOf(fixture('positive-created-by-role-session.json'))).toEqual([
      expect.objectContaining({
        target: 'login-profile/bob',
        eventName: 'CreateLoginProfile',
        details: { userName: 'bob', accountId: '111122223333' },
      }),
    ]);
    expect(deleteChangedLoginProfile.changesOf(fixture('positive-reset-by-iam-user.json'))).toEqual([
      expect.objectContaining({ target: 'login-profile/bob', eventName: 'UpdateLoginProfile' }),
    ]);
  });

  it('reads the user from the response when the request lacks it', () => {
    const record = cloudTrailRecord({
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateLoginProfile',
      requestParameters: {},
      responseElements: { loginProfile: { userName: 'dave', createDate: 'Mar 14, 2025, 9:26:53 AM' } },
    });
    expect(deleteChangedLoginProfile.changesOf(record)).toEqual([
      expect.objectContaining({ target: 'login-profile/dave' }),
    ]);
  });

  it('finds nothing in a refused call, a deletion, or a record naming no user', () => {
    const base = { eventSource: 'iam.amazonaws.com', requestParameters: { userName: 'bob' } };
    expect(
      deleteChangedLoginProfile.changesOf(
        cloudTrailRecord({ ...base, eventName: 'CreateLoginProfile', errorCode: 'EntityAlreadyExists' }),
      ),
    ).toEqual([]);
    expect(
      deleteChangedLoginProfile.changesOf(cloudTrailRecord({ ...base, eventName: 'DeleteLoginProfile' })),
    ).toEqual([]);
    expect(
      deleteChangedLoginProfile.changesOf(
        cloudTrailRecord({ eventSource: 'iam.amazonaws.com', eventName: 'UpdateLoginProfile' }),
      ),
    ).toEqual([]);
  });

  it('refuses a user of another account without a call', async () => {
    const [change] = deleteChangedLoginProfile.changesOf(fixture('positive-reset-by-iam-user.json'));
    // Clients that fail any call: the refusal must come before one.
    const clients = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no call expected');
        },
      },
    );
    expect(await deleteChangedLoginProfile.revert(change, revertContext(false, clients as never))).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.objectContaining({ name: 'OtherAccount' }) }),
    ]);
  });
});
