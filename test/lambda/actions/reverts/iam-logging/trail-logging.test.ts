import { restartTrailLogging } from '../../../../../lambda/actions/reverts/iam-logging/trail-logging';
import { cloudTrailRecord, revertContext } from './support';

const stop = (requestParameters: unknown, extra: { errorCode?: string; eventName?: string } = {}) =>
  cloudTrailRecord({
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging',
    requestParameters,
    ...extra,
  });

describe('restart-trail-logging changesOf', () => {
  it('names a trail by name in the record region, by ARN in the ARN region', () => {
    expect(restartTrailLogging.changesOf(stop({ name: 'org-trail' }))).toEqual([
      expect.objectContaining({
        region: 'us-east-1',
        target: 'trail/org-trail',
        details: { trailName: 'org-trail', accountId: '123456789012', trailAccountId: null },
      }),
    ]);
    const arn = 'arn:aws:cloudtrail:ap-south-1:123456789012:trail/org-trail';
    expect(restartTrailLogging.changesOf(stop({ name: arn }))).toEqual([
      expect.objectContaining({
        region: 'ap-south-1',
        target: 'trail/org-trail',
        details: expect.objectContaining({ trailName: arn }),
      }),
    ]);
  });

  it('finds nothing in a refused call, a StartLogging, or a record without a trail', () => {
    expect(restartTrailLogging.changesOf(stop({ name: 'org-trail' }, { errorCode: 'AccessDenied' }))).toEqual(
      [],
    );
    expect(restartTrailLogging.changesOf(stop({ name: 'org-trail' }, { eventName: 'StartLogging' }))).toEqual(
      [],
    );
    expect(restartTrailLogging.changesOf(stop(null))).toEqual([]);
  });

  it('refuses a trail whose ARN names another account, without a call', async () => {
    const [change] = restartTrailLogging.changesOf(
      stop({ name: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org' }),
    );
    const clients = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no call expected');
        },
      },
    );
    expect(await restartTrailLogging.revert(change, revertContext(false, clients as never))).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.objectContaining({ name: 'OtherAccount' }) }),
    ]);
  });
});
