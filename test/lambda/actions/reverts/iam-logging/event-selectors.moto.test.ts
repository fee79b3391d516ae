import {
  GetEventSelectorsCommand,
  PutEventSelectorsCommand,
  type EventSelector,
  type AdvancedEventSelector,
} from '@aws-sdk/client-cloudtrail';
import { restoreEventSelectors } from '../../../../../lambda/actions/reverts/iam-logging/event-selectors';
import { cloudTrailRecord, revertContext, undoContext } from './support';
import { cloudTrailIn, createTrail } from './trails';

const cloudtrail = cloudTrailIn('us-east-1');

async function selectorsOf(name: string) {
  const answer = await cloudtrail.send(new GetEventSelectorsCommand({ TrailName: name }));
  return { basic: answer.EventSelectors ?? [], advanced: answer.AdvancedEventSelectors ?? [] };
}

const S3_DATA: EventSelector = {
  ReadWriteType: 'WriteOnly',
  IncludeManagementEvents: false,
  DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::customer-exports-prod/'] }],
  ExcludeManagementEventSources: [],
};
const S3_ADVANCED: AdvancedEventSelector = {
  Name: 'S3 data events',
  FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
  ],
};

function putRecord(trailArn: string, requestParameters: Record<string, unknown>) {
  return cloudTrailRecord({
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'PutEventSelectors',
    requestParameters,
    responseElements: { trailARN: trailArn, ...requestParameters, trailName: undefined },
  });
}

describe('restore-event-selectors on the emulator', () => {
  it('makes basic selectors log every management event again, keeping the data selector; undo puts the weakened ones back', async () => {
    const { name, arn } = await createTrail('us-east-1');
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: name,
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            DataResources: [],
            ExcludeManagementEventSources: [],
          },
          S3_DATA,
        ],
      }),
    );
    const weakened: EventSelector[] = [
      {
        ReadWriteType: 'ReadOnly',
        IncludeManagementEvents: true,
        DataResources: [],
        ExcludeManagementEventSources: [],
      },
      S3_DATA,
    ];
    await cloudtrail.send(new PutEventSelectorsCommand({ TrailName: name, EventSelectors: weakened })); // the attacker
    const record = putRecord(arn, {
      trailName: name,
      eventSelectors: [
        {
          readWriteType: 'ReadOnly',
          includeManagementEvents: true,
          dataResources: [],
          excludeManagementEventSources: [],
        },
        {
          readWriteType: 'WriteOnly',
          includeManagementEvents: false,
          dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::customer-exports-prod/'] }],
          excludeManagementEventSources: [],
        },
      ],
    });
    const changes = restoreEventSelectors.changesOf(record);
    expect(changes).toEqual([
      expect.objectContaining({
        revert: 'restore-event-selectors',
        region: 'us-east-1',
        target: `trail/${name}`,
      }),
    ]);
    const [change] = changes;

    expect(await restoreEventSelectors.revert(change, revertContext(true))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect((await selectorsOf(name)).basic).toEqual(weakened);

    const reverted = await restoreEventSelectors.revert(change, revertContext(false));
    expect(reverted).toEqual([
      expect.objectContaining({
        status: 'done',
        before: { EventSelectors: weakened, AdvancedEventSelectors: [] },
      }),
    ]);
    expect((await selectorsOf(name)).basic).toEqual([
      {
        ReadWriteType: 'All',
        IncludeManagementEvents: true,
        DataResources: [],
        ExcludeManagementEventSources: [],
      },
      S3_DATA,
    ]);
    expect(await restoreEventSelectors.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);

    expect(await restoreEventSelectors.undo(change, reverted, undoContext(true))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect(await restoreEventSelectors.undo(change, reverted, undoContext(false))).toEqual([
      expect.objectContaining({ action: 'undo-restore-event-selectors', status: 'done' }),
    ]);
    expect((await selectorsOf(name)).basic).toEqual(weakened);
    expect(await restoreEventSelectors.undo(change, reverted, undoContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it('adds a management-events selector to advanced selectors that log data events only; undo removes it', async () => {
    const { name, arn } = await createTrail('us-east-1');
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: name,
        AdvancedEventSelectors: [
          { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
          S3_ADVANCED,
        ],
      }),
    );
    await cloudtrail.send(
      new PutEventSelectorsCommand({ TrailName: name, AdvancedEventSelectors: [S3_ADVANCED] }),
    ); // the attacker
    const record = putRecord(arn, {
      trailName: name,
      advancedEventSelectors: [
        {
          name: 'S3 data events',
          fieldSelectors: [
            { field: 'eventCategory', equals: ['Data'] },
            { field: 'resources.type', equals: ['AWS::S3::Object'] },
          ],
        },
      ],
    });
    const [change] = restoreEventSelectors.changesOf(record);
    const reverted = await restoreEventSelectors.revert(change, revertContext(false));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done' })]);
    expect((await selectorsOf(name)).advanced).toEqual([
      S3_ADVANCED,
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
    ]);
    expect(await restoreEventSelectors.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
    expect(await restoreEventSelectors.undo(change, reverted, undoContext(false))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect((await selectorsOf(name)).advanced).toEqual([S3_ADVANCED]);
  });
});
