import { trailRefOf, trailTarget } from '../../../../../lambda/actions/reverts/iam-logging/trail-ref';

describe('trailRefOf', () => {
  it("takes a plain name in the record's region, an ARN in its own region and account", () => {
    expect(trailRefOf('org-trail', 'us-west-2')).toEqual({
      trailName: 'org-trail',
      name: 'org-trail',
      region: 'us-west-2',
      accountId: null,
    });
    const arn = 'arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/org-trail';
    expect(trailRefOf(arn, 'us-east-1')).toEqual({
      trailName: arn,
      name: 'org-trail',
      region: 'us-gov-west-1',
      accountId: '111122223333',
    });
    expect(trailTarget(trailRefOf(arn, 'us-east-1'))).toBe('trail/org-trail');
  });
});
