/**
 * cancel-spot-requests without the emulator: the changes of every shape of RequestSpotInstances,
 * RequestSpotFleet and CreateFleet record, and of none that made no request; and, with
 * aws-sdk-client-mock, what moto cannot produce: a cancelled Spot Instance request EC2 still
 * lists with its instance (moto forgets it), a fleet deletion EC2 refuses in its answer, and
 * DescribeFleetInstances answered over several pages.
 */
import {
  DeleteFleetsCommand,
  DescribeFleetInstancesCommand,
  DescribeFleetsCommand,
  DescribeInstancesCommand,
  DescribeSpotInstanceRequestsCommand,
  EC2Client,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { cancelSpotRequests } from '../../../../../lambda/actions/reverts/compute/cancel-spot-requests';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';
import { cloudTrailRecord, createFleetRecord, fixtureRecord, mockedClients, revertContext } from './support';

const targets = (record: CloudTrailRecord) =>
  cancelSpotRequests.changesOf(record).map((change) => change.target);

const spotFleetRecord = (responseElements: unknown) =>
  cloudTrailRecord({
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RequestSpotFleet',
    requestParameters: { RequestSpotFleetRequest: { SpotFleetRequestConfig: { TargetCapacity: 4 } } },
    responseElements,
  });

describe('cancel-spot-requests: the changes of a record', () => {
  it('finds the request of a real RequestSpotInstances record', () => {
    const changes = cancelSpotRequests.changesOf(
      fixtureRecord('ec2-unusual-instance-type-launched/positive-spot-request.json'),
    );
    expect(changes.map((c) => [c.target, c.region, c.details])).toEqual([
      [
        'spot-instances-request/sir-7yh8k2jp',
        'us-east-1',
        { accountId: '111122223333', kind: 'spot-instance-request', requestId: 'sir-7yh8k2jp' },
      ],
    ]);
  });

  it('finds a Spot Fleet request, wrapped as CloudTrail logs it or bare', () => {
    const id = 'sfr-73fbd2ce-aa30-494c-8788-1cee4example'.replace('example', 'eeeeeee');
    expect(
      targets(
        spotFleetRecord({ RequestSpotFleetResponse: { xmlns: 'x', requestId: 'r', spotFleetRequestId: id } }),
      ),
    ).toEqual([`spot-fleet-request/${id}`]);
    expect(targets(spotFleetRecord({ spotFleetRequestId: id }))).toEqual([`spot-fleet-request/${id}`]);
  });

  it('finds the EC2 Fleets that keep launching (maintain, request, no type), not instant ones', () => {
    expect(targets(createFleetRecord('maintain', 'fleet-0a1b2c3d-1111-2222-3333-444455556666', []))).toEqual([
      'fleet/fleet-0a1b2c3d-1111-2222-3333-444455556666',
    ]);
    expect(
      targets(createFleetRecord('request', 'fleet-0a1b2c3d-1111-2222-3333-444455556667', [])),
    ).toHaveLength(1);
    expect(
      targets(createFleetRecord(undefined, 'fleet-0a1b2c3d-1111-2222-3333-444455556668', [])),
    ).toHaveLength(1);
    expect(
      targets(createFleetRecord('instant', 'fleet-0a1b2c3d-1111-2222-3333-444455556669', [['i-0aaa']])),
    ).toEqual([]);
  });

  it('finds nothing in a failed record, or one that made no request', () => {
    const failed = {
      ...fixtureRecord('ec2-unusual-instance-type-launched/positive-spot-request.json'),
      errorCode: 'MaxSpotInstanceCountExceeded',
    };
    expect(targets(failed)).toEqual([]);
    expect(targets(spotFleetRecord({ RequestSpotFleetResponse: { requestId: 'r' } }))).toEqual([]);
    expect(targets(spotFleetRecord({ spotFleetRequestId: 'not-an-id' }))).toEqual([]);
    expect(
      targets({
        ...fixtureRecord('ec2-unusual-instance-type-launched/positive-spot-request.json'),
        eventName: 'CancelSpotInstanceRequests',
      }),
    ).toEqual([]);
  });

  it('never throws, whatever the record holds', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (requestParameters, responseElements) => {
        for (const eventName of ['RequestSpotInstances', 'RequestSpotFleet', 'CreateFleet'])
          cancelSpotRequests.changesOf(
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

function mockedEc2() {
  const ec2 = new EC2Client({ region: 'us-east-1' });
  return { ec2, mock: mockClient(ec2) };
}

describe('cancel-spot-requests: what moto cannot produce', () => {
  it('stops the instance of a request already cancelled (EC2 keeps it listed, moto forgets it)', async () => {
    const { ec2, mock } = mockedEc2();
    mock.on(DescribeSpotInstanceRequestsCommand).resolves({
      SpotInstanceRequests: [
        { SpotInstanceRequestId: 'sir-7yh8k2jp', State: 'cancelled', InstanceId: 'i-0aaa' },
      ],
    });
    mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        { Instances: [{ InstanceId: 'i-0aaa', State: { Name: 'running' }, InstanceLifecycle: 'spot' }] },
      ],
    });
    mock.on(StopInstancesCommand).resolves({});
    const [change] = cancelSpotRequests.changesOf(
      fixtureRecord('ec2-unusual-instance-type-launched/positive-spot-request.json'),
    );
    const outcomes = await cancelSpotRequests.revert(
      change,
      revertContext(mockedClients({ ec2 }), { accountId: '111122223333' }),
    );
    expect(outcomes.map((o) => `${o.status} ${o.target}`)).toEqual([
      'already-done spot-instances-request/sir-7yh8k2jp',
      'done instance/i-0aaa',
    ]);
    expect(mock.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([
      ['i-0aaa'],
    ]);
  });

  it('reports a fleet deletion EC2 refuses in its answer, follows every page of instances, and still stops them', async () => {
    const { ec2, mock } = mockedEc2();
    const fleetId = 'fleet-0a1b2c3d-1111-2222-3333-444455556666';
    mock.on(DescribeFleetsCommand).resolves({ Fleets: [{ FleetId: fleetId, FleetState: 'active' }] });
    mock
      .on(DescribeFleetInstancesCommand, { FleetId: fleetId, NextToken: undefined })
      .resolves({ ActiveInstances: [{ InstanceId: 'i-0aaa' }], NextToken: 'page-2' })
      .on(DescribeFleetInstancesCommand, { FleetId: fleetId, NextToken: 'page-2' })
      .resolves({ ActiveInstances: [{ InstanceId: 'i-0bbb' }] });
    mock.on(DeleteFleetsCommand).resolves({
      UnsuccessfulFleetDeletions: [
        { FleetId: fleetId, Error: { Code: 'unexpectedError', Message: 'The fleet could not be deleted.' } },
      ],
    });
    mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            { InstanceId: 'i-0aaa', State: { Name: 'running' } },
            { InstanceId: 'i-0bbb', State: { Name: 'pending' } },
          ],
        },
      ],
    });
    mock.on(StopInstancesCommand).resolves({});
    const [change] = cancelSpotRequests.changesOf(createFleetRecord('maintain', fleetId, []));
    const outcomes = await cancelSpotRequests.revert(change, revertContext(mockedClients({ ec2 })));
    expect(outcomes.map((o) => `${o.status} ${o.target} ${o.error?.name ?? ''}`.trim())).toEqual([
      `failed fleet/${fleetId} unexpectedError`,
      'done instance/i-0aaa',
      'done instance/i-0bbb',
    ]);
    expect(mock.commandCalls(DeleteFleetsCommand).map((c) => c.args[0].input)).toEqual([
      { FleetIds: [fleetId], TerminateInstances: false },
    ]);
  });
});
