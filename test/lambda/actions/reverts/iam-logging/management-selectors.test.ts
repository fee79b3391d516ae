import {
  logsAllManagementEvents,
  MANAGEMENT_EVENTS_SELECTOR,
  selectorsOfRecord,
  withManagementEvents,
} from '../../../../../lambda/actions/reverts/iam-logging/management-selectors';

describe('management event selectors', () => {
  it('count management events as fully logged only when read and write are', () => {
    expect(logsAllManagementEvents({ EventSelectors: [{}] })).toBe(true); // both defaults: true, All
    expect(
      logsAllManagementEvents({
        EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'ReadOnly' }],
      }),
    ).toBe(false);
    expect(
      logsAllManagementEvents({ EventSelectors: [{ IncludeManagementEvents: false, ReadWriteType: 'All' }] }),
    ).toBe(false);
    expect(logsAllManagementEvents({ EventSelectors: [] })).toBe(false);
    expect(logsAllManagementEvents({ AdvancedEventSelectors: [MANAGEMENT_EVENTS_SELECTOR] })).toBe(true);
    expect(
      logsAllManagementEvents({
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['false'] },
            ],
          },
        ],
      }),
    ).toBe(false);
  });

  it('restore management events keeping each data selector as it was', () => {
    const data = {
      ReadWriteType: 'ReadOnly' as const,
      IncludeManagementEvents: false,
      DataResources: [{ Type: 'AWS::Lambda::Function', Values: [] }],
    };
    const restored = withManagementEvents({
      EventSelectors: [
        {
          ReadWriteType: 'WriteOnly',
          IncludeManagementEvents: true,
          DataResources: [],
          ExcludeManagementEventSources: ['kms.amazonaws.com'],
        },
        data,
      ],
    });
    expect(restored).toEqual({
      EventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: true,
          DataResources: [],
          ExcludeManagementEventSources: ['kms.amazonaws.com'],
        },
        { ...data, ExcludeManagementEventSources: [] },
      ],
    });
    expect(logsAllManagementEvents(restored)).toBe(true);

    const s3 = { Name: 'S3', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] };
    const weakened = {
      Name: 'reads',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'readOnly', Equals: ['true'] },
      ],
    };
    expect(withManagementEvents({ AdvancedEventSelectors: [weakened, s3] })).toEqual({
      AdvancedEventSelectors: [s3, MANAGEMENT_EVENTS_SELECTOR],
    });
  });

  it('read the selectors of a record (camelCase, request before response)', () => {
    expect(
      selectorsOfRecord(
        {
          eventSelectors: [
            {
              readWriteType: 'ReadOnly',
              includeManagementEvents: true,
              dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::b/'] }],
            },
          ],
        },
        null,
      ),
    ).toEqual({
      EventSelectors: [
        {
          ReadWriteType: 'ReadOnly',
          IncludeManagementEvents: true,
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::b/'] }],
        },
      ],
    });
    expect(
      selectorsOfRecord(
        { trailName: 't' },
        {
          advancedEventSelectors: [
            { name: 'm', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] },
          ],
        },
      ),
    ).toEqual({
      AdvancedEventSelectors: [
        {
          Name: 'm',
          FieldSelectors: [expect.objectContaining({ Field: 'eventCategory', Equals: ['Management'] })],
        },
      ],
    });
    expect(selectorsOfRecord({ trailName: 't' }, null)).toBeUndefined();
  });
});
