import { managementEventCoverage } from '../../../lambda/doctor/management-events';

const ALL = { read: true, write: true };
const NONE = { read: false, write: false };
const management = { Field: 'eventCategory', Equals: ['Management'] };

describe('managementEventCoverage', () => {
  it('takes a trail never given selectors as CloudTrail default: every management event', () => {
    expect(managementEventCoverage({ EventSelectors: [], AdvancedEventSelectors: [] }, false)).toEqual(ALL);
    expect(managementEventCoverage({ EventSelectors: [], AdvancedEventSelectors: [] }, true)).toEqual(NONE);
  });

  it.each([
    [{ ReadWriteType: 'All' as const, IncludeManagementEvents: true }, ALL],
    [{ IncludeManagementEvents: true }, ALL],
    [
      { ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true },
      { read: false, write: true },
    ],
    [
      { ReadWriteType: 'ReadOnly' as const, IncludeManagementEvents: true },
      { read: true, write: false },
    ],
    [{ ReadWriteType: 'All' as const, IncludeManagementEvents: false }, NONE],
  ])('reads the basic selector %j as %j', (selector, coverage) => {
    expect(managementEventCoverage({ EventSelectors: [selector] }, true)).toEqual(coverage);
  });

  it('adds up basic selectors: a read-only one and a write-only one record both', () => {
    expect(
      managementEventCoverage(
        {
          EventSelectors: [
            { ReadWriteType: 'ReadOnly', IncludeManagementEvents: true },
            { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true },
          ],
        },
        true,
      ),
    ).toEqual(ALL);
  });

  it.each([
    ['management events', [management], ALL],
    ['read-only', [management, { Field: 'readOnly', Equals: ['true'] }], { read: true, write: false }],
    ['write-only', [management, { Field: 'readOnly', Equals: ['false'] }], { read: false, write: true }],
    ['not read-only', [management, { Field: 'readOnly', NotEquals: ['true'] }], { read: false, write: true }],
    ['KMS excluded', [management, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }], ALL],
    ['only IAM', [management, { Field: 'eventSource', Equals: ['iam.amazonaws.com'] }], NONE],
    [
      'data events',
      [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      ],
      NONE,
    ],
  ])('reads an advanced selector of %s', (_name, FieldSelectors, coverage) => {
    expect(
      managementEventCoverage({ AdvancedEventSelectors: [{ Name: 'x', FieldSelectors }] }, true),
    ).toEqual(coverage);
  });
});
