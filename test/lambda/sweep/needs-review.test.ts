import {
  addForReview,
  isWriteEvent,
  REVIEW_EXAMPLES_PER_SERVICE,
  resourceOf,
} from '../../../lambda/sweep/needs-review';
import { cloudTrailRecord } from '../../support/cloudtrail-records';

const write = (eventSource: string, eventName: string, requestParameters: unknown = {}) =>
  cloudTrailRecord({
    accessKeyId: 'AKIAEXAMPLESTOLEN001',
    userName: 'stolen',
    region: 'eu-west-1',
    eventSource,
    eventName,
    time: new Date('2026-12-01T10:00:00Z'),
    requestParameters,
  });

describe('needs review', () => {
  it('groups writes by service, each group with its count, sorted by service', () => {
    let groups = addForReview([], write('s3.amazonaws.com', 'PutBucketTagging', { bucketName: 'exports' }));
    groups = addForReview(groups, write('ec2.amazonaws.com', 'CreateKeyPair', { keyName: 'k' }));
    groups = addForReview(groups, write('s3.amazonaws.com', 'PutBucketCors', { bucketName: 'exports' }));
    expect(groups.map((g) => [g.service, g.count, g.events.map((e) => e.eventName)])).toEqual([
      ['ec2', 1, ['CreateKeyPair']],
      ['s3', 2, ['PutBucketTagging', 'PutBucketCors']],
    ]);
    expect(groups[1].events[0]).toMatchObject({ region: 'eu-west-1', resource: 'exports' });
  });

  it('keeps the count of every event and the first examples only: bounded whatever the timeline', () => {
    let groups: ReturnType<typeof addForReview> = [];
    for (let n = 0; n < REVIEW_EXAMPLES_PER_SERVICE + 40; n++)
      groups = addForReview(groups, write('sqs.amazonaws.com', 'SetQueueAttributes'));
    expect(groups[0].count).toBe(REVIEW_EXAMPLES_PER_SERVICE + 40);
    expect(groups[0].events).toHaveLength(REVIEW_EXAMPLES_PER_SERVICE);
  });

  it('tells writes from reads, and names the resource from the record', () => {
    expect(isWriteEvent(write('s3.amazonaws.com', 'PutObject'))).toBe(true);
    expect(isWriteEvent({ ...write('s3.amazonaws.com', 'GetObject'), readOnly: true })).toBe(false);
    expect(
      resourceOf({
        ...write('kms.amazonaws.com', 'ScheduleKeyDeletion'),
        resources: [{ ARN: 'arn:aws:kms:eu-west-1:123456789012:key/1' }],
      }),
    ).toBe('arn:aws:kms:eu-west-1:123456789012:key/1');
    expect(resourceOf(write('ec2.amazonaws.com', 'CreateVpc'))).toBe('?');
  });
});
