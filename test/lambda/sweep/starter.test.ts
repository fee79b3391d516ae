import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { LambdaSweepStarter, sweeperEventOf, sweepStartOfEvent } from '../../../lambda/sweep/starter';

describe('the sweeper start', () => {
  const start = {
    accessKeyId: 'AKIAEXAMPLESTOLEN001',
    userName: 'stolen',
    firstSeen: new Date('2026-12-01T10:00:00Z'),
    dryRun: false,
  };

  it('round-trips a start through the event, dates as ISO strings', () => {
    const event = JSON.parse(JSON.stringify(sweeperEventOf('inc-1', start))) as ReturnType<
      typeof sweeperEventOf
    >;
    expect(event).toEqual({
      incidentId: 'inc-1',
      start: { ...start, firstSeen: '2026-12-01T10:00:00.000Z' },
    });
    expect(sweepStartOfEvent(event)).toEqual(start);
    expect(
      sweepStartOfEvent({ incidentId: 'inc-1', start: { ...event.start!, firstSeen: 'soon' } }),
    ).toBeUndefined();
    expect(sweepStartOfEvent({ incidentId: 'inc-1' })).toBeUndefined();
  });

  it('invokes the sweeper asynchronously, so that containment never waits for it', async () => {
    // aws-sdk-client-mock: moto runs no Lambda function here.
    const lambda = new LambdaClient({ region: 'us-east-1' });
    const mock = mockClient(lambda).on(InvokeCommand).resolves({ StatusCode: 202 });
    await new LambdaSweepStarter(
      lambda,
      'arn:aws:lambda:us-east-1:123456789012:function:cordon-sweeper-us-east-1',
    ).start(sweeperEventOf('inc-1', start));
    const input = mock.commandCalls(InvokeCommand)[0].args[0].input;
    expect(input).toMatchObject({
      InvocationType: 'Event',
      FunctionName: expect.stringContaining('cordon-sweeper') as unknown,
    });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toMatchObject({
      incidentId: 'inc-1',
    });
  });
});
