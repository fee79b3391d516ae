/**
 * stop-launched-instances without the emulator: the changes of every shape of RunInstances and
 * CreateFleet record (and of none that launched nothing), a change in another account refused
 * with no call, and a Spot Instance EC2 refuses to stop, which moto stops anyway (aws-sdk-client-mock).
 */
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { stopLaunchedInstances } from '../../../../../lambda/actions/reverts/compute/stop-launched-instances';
import {
  cloudTrailRecord,
  createFleetRecord,
  fixtureRecord,
  mockedClients,
  revertContext,
  runInstancesRecord,
} from './support';

const targets = (record: Parameters<typeof stopLaunchedInstances.changesOf>[0]) =>
  stopLaunchedInstances.changesOf(record).map((change) => change.target);

describe('stop-launched-instances: the changes of a record', () => {
  it('finds each instance of a real RunInstances record, in its region and account', () => {
    const record = fixtureRecord('ec2-unusual-instance-type-launched/positive-p3.json');
    const changes = stopLaunchedInstances.changesOf(record);
    expect(changes).toEqual([
      {
        revert: 'stop-launched-instances',
        region: 'us-west-2',
        target: 'instance/i-001b2c3d4e5f60710',
        eventId: '37f1aea0-8046-5a49-9249-ff956da1170f',
        eventName: 'RunInstances',
        eventTime: '2025-03-14T09:26:53Z',
        details: { accountId: '111122223333', instanceId: 'i-001b2c3d4e5f60710' },
      },
      expect.objectContaining({ target: 'instance/i-011b2c3d4e5f60711' }),
    ]);
  });

  it('finds the instances of an instant fleet in each list shape, once each', () => {
    expect(targets(createFleetRecord('instant', 'fleet-1', [['i-0aaa']]))).toEqual(['instance/i-0aaa']);
    expect(
      targets(
        createFleetRecord('instant', 'fleet-1', [
          ['i-0aaa', 'i-0bbb'],
          ['i-0ccc', 'i-0aaa'],
        ]),
      ),
    ).toEqual(['instance/i-0aaa', 'instance/i-0bbb', 'instance/i-0ccc']);
    const bare = cloudTrailRecord({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'CreateFleet',
      requestParameters: { type: 'Instant' },
      responseElements: { fleetId: 'fleet-2', fleetInstanceSet: { items: [{ instanceIds: ['i-0ddd'] }] } },
    });
    expect(targets(bare)).toEqual(['instance/i-0ddd']);
  });

  it('finds nothing in a record that launched nothing it stops', () => {
    expect(targets(runInstancesRecord(['i-0aaa'], { errorCode: 'Client.UnauthorizedOperation' }))).toEqual(
      [],
    );
    expect(targets(createFleetRecord('instant', 'fleet-1', []))).toEqual([]);
    // maintain and request fleets (and a fleet of no type, which is maintain) are cancel-spot-requests'.
    expect(targets(createFleetRecord('maintain', 'fleet-1', [['i-0aaa']]))).toEqual([]);
    expect(targets(createFleetRecord(undefined, 'fleet-1', [['i-0aaa']]))).toEqual([]);
    expect(targets({ ...runInstancesRecord(['i-0aaa']), eventName: 'StartInstances' })).toEqual([]);
    expect(targets({ ...runInstancesRecord(['i-0aaa']), eventSource: 'lambda.amazonaws.com' })).toEqual([]);
    expect(
      targets({
        ...runInstancesRecord(['i-0aaa']),
        responseElements: { instancesSet: { items: [{ instanceId: 'not-an-id' }] } },
      }),
    ).toEqual([]);
  });

  it('never throws, whatever the record holds', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (requestParameters, responseElements) => {
        for (const eventName of ['RunInstances', 'CreateFleet'])
          stopLaunchedInstances.changesOf(
            cloudTrailRecord({
              eventSource: 'ec2.amazonaws.com',
              eventName,
              requestParameters,
              responseElements,
            }),
          );
      }),
    );
  });
});

describe('stop-launched-instances: refusals', () => {
  it('touches no instance of another account', async () => {
    const ec2 = new EC2Client({ region: 'us-east-1' });
    const mock = mockClient(ec2);
    const [change] = stopLaunchedInstances.changesOf(
      runInstancesRecord(['i-0aaa'], { account: '210987654321' }),
    );
    const outcomes = await stopLaunchedInstances.revert(change, revertContext(mockedClients({ ec2 })));
    expect(outcomes.map((o) => [o.status, o.error?.name])).toEqual([['failed', 'ForeignAccount']]);
    expect(mock.calls()).toHaveLength(0);
  });

  // moto stops a one-time Spot Instance; EC2 refuses (UnsupportedOperation): the outcome says what to do.
  it('says how to halt a Spot Instance EC2 refuses to stop', async () => {
    const ec2 = new EC2Client({ region: 'us-east-1' });
    const mock = mockClient(ec2);
    mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        { Instances: [{ InstanceId: 'i-0aaa', State: { Name: 'running' }, InstanceLifecycle: 'spot' }] },
      ],
    });
    mock.on(StopInstancesCommand).rejects(
      Object.assign(new Error('You cannot stop a Spot Instance launched by a one-time request.'), {
        name: 'UnsupportedOperation',
        $fault: 'client',
      }),
    );
    const [change] = stopLaunchedInstances.changesOf(runInstancesRecord(['i-0aaa']));
    const [outcome] = await stopLaunchedInstances.revert(change, revertContext(mockedClients({ ec2 })));
    expect([outcome.status, outcome.error?.name]).toEqual(['failed', 'UnsupportedOperation']);
    expect(outcome.detail).toContain('sweep.terminateInstances');
    expect(mock.commandCalls(DescribeInstanceAttributeCommand)).toHaveLength(0);
  });

  it('reports a failed read as failed, with nothing changed', async () => {
    const ec2 = new EC2Client({ region: 'us-east-1' });
    const mock = mockClient(ec2);
    mock
      .on(DescribeInstancesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded' }));
    const [change] = stopLaunchedInstances.changesOf(runInstancesRecord(['i-0aaa']));
    const outcomes = await stopLaunchedInstances.revert(change, revertContext(mockedClients({ ec2 })));
    expect(outcomes.map((o) => [o.status, o.error?.name, o.before])).toEqual([
      ['failed', 'RequestLimitExceeded', null],
    ]);
    expect(mock.commandCalls(StopInstancesCommand)).toHaveLength(0);
  });
});
