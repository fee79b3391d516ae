/**
 * cancel-spot-requests on moto: a Spot Instance request, a Spot Fleet request and a `maintain` EC2
 * Fleet, each found from its real-format record, cancelled with its instances kept, then its
 * instances stopped; a dry run changes nothing; the second run is already done; undo starts the
 * instances again and leaves the cancellation as a manual step. moto forgets a Spot Instance
 * request once cancelled (AWS keeps it as `cancelled`), so the second run finds it gone.
 */
import {
  CreateFleetCommand,
  CreateLaunchTemplateCommand,
  DescribeFleetsCommand,
  DescribeInstancesCommand,
  DescribeSpotFleetRequestsCommand,
  DescribeSpotInstanceRequestsCommand,
  RequestSpotFleetCommand,
  RequestSpotInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  cancelSpotRequests,
  type SpotRequest,
} from '../../../../../lambda/actions/reverts/compute/cancel-spot-requests';
import type { CloudTrailRecord, RevertibleChange } from '../../../../../lambda/actions/reverts/types';
import { uniqueName } from '../../../../support/moto';
import {
  ACCOUNT,
  anyImage,
  cloudTrailRecord,
  createFleetRecord,
  emulatorClients,
  REGION,
  revertContext,
  statusesOf,
  undoContext,
} from './support';

const clients = emulatorClients();
const ec2: EC2Client = clients.ec2(REGION);

async function statesOf(ids: readonly string[]): Promise<Record<string, string>> {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [...ids] }));
  const states: Record<string, string> = {};
  for (const r of Reservations ?? [])
    for (const i of r.Instances ?? []) states[i.InstanceId!] = i.State!.Name!;
  return states;
}

const all = (ids: readonly string[], state: string) => Object.fromEntries(ids.map((id) => [id, state]));

function requestSpotInstancesRecord(requestIds: readonly string[]): CloudTrailRecord {
  return cloudTrailRecord({
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RequestSpotInstances',
    requestParameters: {
      spotPrice: '12.0',
      instanceCount: requestIds.length,
      type: 'one-time',
      launchSpecification: {
        imageId: 'ami-0e2c8caa4b6378d8c',
        instanceType: 'p4d.24xlarge',
        monitoring: { enabled: false },
      },
    },
    responseElements: {
      requestId: 'b1f5b3a6-1004-5442-9151-0232e6fc4981',
      spotInstanceRequestSet: {
        items: requestIds.map((spotInstanceRequestId) => ({
          spotInstanceRequestId,
          state: 'open',
          type: 'one-time',
          spotPrice: '12.000000',
        })),
      },
    },
  });
}

function requestSpotFleetRecord(spotFleetRequestId: string): CloudTrailRecord {
  return cloudTrailRecord({
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RequestSpotFleet',
    requestParameters: {
      RequestSpotFleetRequest: {
        SpotFleetRequestConfig: {
          TargetCapacity: 2,
          IamFleetRole: `arn:aws:iam::${ACCOUNT}:role/aws-ec2-spot-fleet-tagging-role`,
          AllocationStrategy: 'lowestPrice',
          LaunchSpecifications: { ImageId: 'ami-0e2c8caa4b6378d8c', InstanceType: 'p3.2xlarge', tag: 1 },
        },
      },
    },
    responseElements: {
      RequestSpotFleetResponse: {
        xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
        requestId: 'f0a7c1d2-6b1e-4b8e-9d1a-2f3c4d5e6f70',
        spotFleetRequestId,
      },
    },
  });
}

const revert = (change: RevertibleChange<SpotRequest>, more: Parameters<typeof revertContext>[1] = {}) =>
  cancelSpotRequests.revert(change, revertContext(clients, more));

describe('cancel-spot-requests on the emulator', () => {
  it('cancels a Spot Instance request, stops its instance, and undo starts the instance again', async () => {
    const { SpotInstanceRequests } = await ec2.send(
      new RequestSpotInstancesCommand({
        SpotPrice: '12.0',
        InstanceCount: 1,
        Type: 'one-time',
        LaunchSpecification: { ImageId: await anyImage(ec2), InstanceType: 'p3.2xlarge' },
      }),
    );
    const requestId = SpotInstanceRequests![0].SpotInstanceRequestId!;
    const { SpotInstanceRequests: launched } = await ec2.send(
      new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [requestId] }),
    );
    const instanceId = launched![0].InstanceId!;
    const changes = cancelSpotRequests.changesOf(requestSpotInstancesRecord([requestId]));
    expect(changes.map((c) => c.target)).toEqual([`spot-instances-request/${requestId}`]);
    const [change] = changes;

    const planned = await revert(change, { dryRun: true });
    expect(statusesOf(planned)).toEqual([
      `planned spot-instances-request/${requestId}`,
      `planned instance/${instanceId}`,
    ]);
    const { SpotInstanceRequests: still } = await ec2.send(
      new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [requestId] }),
    );
    expect(still!.map((r) => r.State)).toEqual(['active']);
    expect(await statesOf([instanceId])).toEqual({ [instanceId]: 'running' });

    const reverted = await revert(change);
    expect(statusesOf(reverted)).toEqual([
      `done spot-instances-request/${requestId}`,
      `done instance/${instanceId}`,
    ]);
    expect(reverted[0].before).toEqual({ kind: 'spot-instance-request', requestId, state: 'active' });
    const { SpotInstanceRequests: after } = await ec2.send(
      new DescribeSpotInstanceRequestsCommand({
        Filters: [{ Name: 'spot-instance-request-id', Values: [requestId] }],
      }),
    );
    expect(after!.filter((r) => r.State !== 'cancelled')).toEqual([]);
    expect(await statesOf([instanceId])).toEqual({ [instanceId]: 'stopped' });

    const again = await revert(change);
    expect(again.map((o) => o.status)).toEqual(['already-done']);

    const undone = await cancelSpotRequests.undo(change, reverted, undoContext(clients));
    expect(statusesOf(undone)).toEqual([
      `failed spot-instances-request/${requestId}`,
      `done instance/${instanceId}`,
    ]);
    expect(undone[0].manualStep).toContain(requestId);
    expect(await statesOf([instanceId])).toEqual({ [instanceId]: 'running' });
  });

  it('cancels a Spot Fleet request with its instances kept, then stops them', async () => {
    const { SpotFleetRequestId } = await ec2.send(
      new RequestSpotFleetCommand({
        SpotFleetRequestConfig: {
          TargetCapacity: 2,
          IamFleetRole: `arn:aws:iam::${ACCOUNT}:role/aws-ec2-spot-fleet-tagging-role`,
          AllocationStrategy: 'lowestPrice',
          LaunchSpecifications: [{ ImageId: await anyImage(ec2), InstanceType: 'p3.2xlarge' }],
        },
      }),
    );
    const [change] = cancelSpotRequests.changesOf(requestSpotFleetRecord(SpotFleetRequestId!));
    expect(change.target).toBe(`spot-fleet-request/${SpotFleetRequestId}`);

    const planned = await revert(change, { dryRun: true });
    expect(planned.map((o) => o.status)).toEqual(['planned', 'planned', 'planned']);
    const instanceIds = planned.slice(1).map((o) => o.target.slice('instance/'.length));
    expect(await statesOf(instanceIds)).toEqual(all(instanceIds, 'running'));

    const reverted = await revert(change);
    expect(reverted.map((o) => o.status)).toEqual(['done', 'done', 'done']);
    const { SpotFleetRequestConfigs } = await ec2.send(
      new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [SpotFleetRequestId!] }),
    );
    expect(SpotFleetRequestConfigs!.map((c) => c.SpotFleetRequestState)).toEqual(['cancelled_running']);
    expect(await statesOf(instanceIds)).toEqual(all(instanceIds, 'stopped'));

    const again = await revert(change);
    expect(again.map((o) => o.status)).toEqual(['already-done', 'already-done', 'already-done']);

    const undone = await cancelSpotRequests.undo(change, reverted, undoContext(clients));
    expect(undone.map((o) => o.status)).toEqual(['failed', 'done', 'done']);
    expect(await statesOf(instanceIds)).toEqual(all(instanceIds, 'running'));
  });

  it('deletes a maintain EC2 Fleet with its instances kept, then terminates them when configured', async () => {
    const { LaunchTemplate } = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: uniqueName('miner'),
        LaunchTemplateData: { ImageId: await anyImage(ec2), InstanceType: 'p3.2xlarge' },
      }),
    );
    const { FleetId } = await ec2.send(
      new CreateFleetCommand({
        Type: 'maintain',
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: {
              LaunchTemplateId: LaunchTemplate!.LaunchTemplateId!,
              Version: '$Latest',
            },
          },
        ],
        TargetCapacitySpecification: {
          TotalTargetCapacity: 1,
          OnDemandTargetCapacity: 1,
          DefaultTargetCapacityType: 'on-demand',
        },
      }),
    );
    const [change] = cancelSpotRequests.changesOf(createFleetRecord('maintain', FleetId!, []));
    expect(change.target).toBe(`fleet/${FleetId}`);

    const reverted = await revert(change, { terminateInstances: true });
    expect(reverted.map((o) => o.status)).toEqual(['done', 'done']);
    const instanceId = reverted[1].target.slice('instance/'.length);
    const { Fleets } = await ec2.send(new DescribeFleetsCommand({ FleetIds: [FleetId!] }));
    expect(Fleets!.map((f) => f.FleetState)).toEqual(['deleted_running']);
    expect(await statesOf([instanceId])).toEqual({ [instanceId]: 'terminated' });

    // A terminated instance is no longer one of the fleet's active instances: only the fleet is left.
    const again = await revert(change, { terminateInstances: true });
    expect(statusesOf(again)).toEqual([`already-done fleet/${FleetId}`]);
    const undone = await cancelSpotRequests.undo(change, reverted, undoContext(clients));
    expect(undone.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(undone.map((o) => Boolean(o.manualStep))).toEqual([true, true]);
  });
});
