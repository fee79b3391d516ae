import { GetTrailStatusCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { restartTrailLogging } from '../../../../../lambda/actions/reverts/iam-logging/trail-logging';
import { cloudTrailRecord, revertContext, undoContext } from './support';
import { cloudTrailIn, createTrail } from './trails';

async function isLogging(region: string, name: string): Promise<boolean | undefined> {
  return (await cloudTrailIn(region).send(new GetTrailStatusCommand({ Name: name }))).IsLogging;
}

function stopLoggingRecord(name: string, awsRegion = 'us-east-1') {
  return cloudTrailRecord({
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging',
    awsRegion,
    requestParameters: { name },
  });
}

describe('restart-trail-logging on the emulator', () => {
  it('starts the trail the attacker stopped, once, and undo stops it again', async () => {
    const { name, arn } = await createTrail('us-east-1');
    const cloudtrail = cloudTrailIn('us-east-1');
    await cloudtrail.send(new StartLoggingCommand({ Name: name }));
    await cloudtrail.send(new StopLoggingCommand({ Name: name })); // the attacker (the record names the trail by ARN)
    const record = stopLoggingRecord(arn);

    const changes = restartTrailLogging.changesOf(record);
    expect(changes).toEqual([
      expect.objectContaining({
        revert: 'restart-trail-logging',
        region: 'us-east-1',
        target: `trail/${name}`,
        details: { trailName: arn, accountId: '123456789012', trailAccountId: '123456789012' },
      }),
    ]);
    const [change] = changes;

    expect(await restartTrailLogging.revert(change, revertContext(true))).toEqual([
      expect.objectContaining({ status: 'planned', before: { isLogging: false } }),
    ]);
    expect(await isLogging('us-east-1', name)).toBe(false);

    const reverted = await restartTrailLogging.revert(change, revertContext(false));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done', before: { isLogging: false } })]);
    expect(reverted[0].detail).toContain(record.eventID as string);
    expect(await isLogging('us-east-1', name)).toBe(true);
    expect(await restartTrailLogging.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);

    expect(await restartTrailLogging.undo(change, reverted, undoContext(true))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect(await isLogging('us-east-1', name)).toBe(true);
    expect(await restartTrailLogging.undo(change, reverted, undoContext(false))).toEqual([
      expect.objectContaining({
        action: 'undo-restart-trail-logging',
        status: 'done',
        before: { isLogging: true },
      }),
    ]);
    expect(await isLogging('us-east-1', name)).toBe(false);
    expect(await restartTrailLogging.undo(change, reverted, undoContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it("calls the trail's home region when the record names it by ARN from another region", async () => {
    const { name, arn } = await createTrail('eu-west-1');
    const record = stopLoggingRecord(arn, 'us-east-1');
    const [change] = restartTrailLogging.changesOf(record);
    expect(change.region).toBe('eu-west-1');
    expect(await restartTrailLogging.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect(await isLogging('eu-west-1', name)).toBe(true);
  });

  it('leaves a trail that was logging before the revert logging on undo', async () => {
    const { name } = await createTrail('us-east-1');
    await cloudTrailIn('us-east-1').send(new StartLoggingCommand({ Name: name }));
    const [change] = restartTrailLogging.changesOf(stopLoggingRecord(name));
    const reverted = await restartTrailLogging.revert(change, revertContext(false));
    expect(reverted).toEqual([
      expect.objectContaining({ status: 'already-done', before: { isLogging: true } }),
    ]);
    expect(await restartTrailLogging.undo(change, reverted, undoContext(false))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
    expect(await isLogging('us-east-1', name)).toBe(true);
  });

  it('reports a trail that no longer exists as failed', async () => {
    const [change] = restartTrailLogging.changesOf(stopLoggingRecord('no-such-trail-anywhere'));
    expect(await restartTrailLogging.revert(change, revertContext(false))).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ name: 'TrailNotFoundException' }),
      }),
    ]);
  });
});
