/**
 * stop-launched-instances on moto: instances launched with RunInstances and with an instant EC2
 * Fleet, found from their real-format records, stopped (or terminated when configured), left alone
 * on a dry run, already done the second time, and started again by undo; termination protection
 * is respected and left on.
 */
import {
  CreateFleetCommand,
  CreateLaunchTemplateCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  stopLaunchedInstances,
  type LaunchedInstance,
} from '../../../../../lambda/actions/reverts/compute/stop-launched-instances';
import type { RevertibleChange } from '../../../../../lambda/actions/reverts/types';
import { uniqueName } from '../../../../support/moto';
import {
  anyImage,
  createFleetRecord,
  emulatorClients,
  REGION,
  revertContext,
  runInstancesRecord,
  statusesOf,
  undoContext,
} from './support';

const clients = emulatorClients();
const ec2: EC2Client = clients.ec2(REGION);

async function launch(count: number): Promise<string[]> {
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ImageId: await anyImage(ec2),
      InstanceType: 'p3.2xlarge',
      MinCount: count,
      MaxCount: count,
    }),
  );
  return Instances!.map((i) => i.InstanceId!);
}

async function statesOf(ids: readonly string[]): Promise<Record<string, string>> {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [...ids] }));
  const states: Record<string, string> = {};
  for (const r of Reservations ?? [])
    for (const i of r.Instances ?? []) states[i.InstanceId!] = i.State!.Name!;
  return states;
}

const all = (ids: readonly string[], state: string) => Object.fromEntries(ids.map((id) => [id, state]));

async function revertAll(
  changes: readonly RevertibleChange<LaunchedInstance>[],
  more: Parameters<typeof revertContext>[1] = {},
) {
  const context = revertContext(clients, more);
  return Promise.all(changes.map((change) => stopLaunchedInstances.revert(change, context)));
}

describe('stop-launched-instances on the emulator', () => {
  it('stops exactly the instances RunInstances launched, once, and undo starts them again', async () => {
    const launched = await launch(2);
    const [bystander] = await launch(1);
    const changes = stopLaunchedInstances.changesOf(runInstancesRecord(launched));
    expect(changes.map((c) => c.target)).toEqual(launched.map((id) => `instance/${id}`));

    const planned = await revertAll(changes, { dryRun: true });
    expect(planned.flat().map((o) => o.status)).toEqual(['planned', 'planned']);
    expect(await statesOf([...launched, bystander])).toEqual(all([...launched, bystander], 'running'));

    const reverted = await revertAll(changes);
    expect(reverted.map(statusesOf)).toEqual(launched.map((id) => [`done instance/${id}`]));
    expect(reverted[0][0].before).toEqual({ instanceId: launched[0], state: 'running', halt: 'stop' });
    expect(reverted[0][0].detail).toContain(changes[0].eventId);
    expect(await statesOf(launched)).toEqual(all(launched, 'stopped'));
    expect(await statesOf([bystander])).toEqual(all([bystander], 'running'));

    const again = await revertAll(changes);
    expect(again.flat().map((o) => o.status)).toEqual(['already-done', 'already-done']);

    const undoPlanned = await Promise.all(
      changes.map((c, i) => stopLaunchedInstances.undo(c, reverted[i], undoContext(clients, true))),
    );
    expect(undoPlanned.flat().map((o) => o.status)).toEqual(['planned', 'planned']);
    expect(await statesOf(launched)).toEqual(all(launched, 'stopped'));

    const undone = await Promise.all(
      changes.map((c, i) => stopLaunchedInstances.undo(c, reverted[i], undoContext(clients))),
    );
    expect(undone.flat().map((o) => `${o.status} ${o.action}`)).toEqual([
      'done undo-stop-launched-instances',
      'done undo-stop-launched-instances',
    ]);
    expect(await statesOf(launched)).toEqual(all(launched, 'running'));
    const undoneAgain = await Promise.all(
      changes.map((c, i) => stopLaunchedInstances.undo(c, reverted[i], undoContext(clients))),
    );
    expect(undoneAgain.flat().map((o) => o.status)).toEqual(['already-done', 'already-done']);
  });

  it('leaves stopped what was stopped before the revert', async () => {
    const [instanceId] = await launch(1);
    const [change] = stopLaunchedInstances.changesOf(runInstancesRecord([instanceId]));
    const [first] = await revertAll([change]);
    const [second] = await revertAll([change]);
    expect(second[0].before).toEqual({ instanceId, state: 'stopped', halt: 'stop' });
    const undone = await stopLaunchedInstances.undo(change, second, undoContext(clients));
    expect(undone.map((o) => o.status)).toEqual(['already-done']);
    expect(await statesOf([instanceId])).toEqual({ [instanceId]: 'stopped' });
    expect(first[0].status).toBe('done');
  });

  it('terminates with terminateInstances, and undo says it cannot bring the instance back', async () => {
    const [instanceId] = await launch(1);
    const [change] = stopLaunchedInstances.changesOf(runInstancesRecord([instanceId]));
    const [planned] = await revertAll([change], { terminateInstances: true, dryRun: true });
    expect(planned.map((o) => o.status)).toEqual(['planned']);
    expect(planned[0].detail).toContain('would be terminated');
    expect(await statesOf([instanceId])).toEqual({ [instanceId]: 'running' });

    const [reverted] = await revertAll([change], { terminateInstances: true });
    expect(statusesOf(reverted)).toEqual([`done instance/${instanceId}`]);
    expect(await statesOf([instanceId])).toEqual({ [instanceId]: 'terminated' });
    const [again] = await revertAll([change], { terminateInstances: true });
    expect(again.map((o) => o.status)).toEqual(['already-done']);

    const undone = await stopLaunchedInstances.undo(change, reverted, undoContext(clients));
    expect(undone.map((o) => o.status)).toEqual(['failed']);
    expect(undone[0].manualStep).toContain(instanceId);
  });

  it('leaves an instance with termination protection running, protected, and says so', async () => {
    const [instanceId] = await launch(1);
    await ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: instanceId, DisableApiTermination: { Value: true } }),
    );
    const [change] = stopLaunchedInstances.changesOf(runInstancesRecord([instanceId]));
    const [reverted] = await revertAll([change], { terminateInstances: true });
    expect(reverted.map((o) => [o.status, o.error?.name])).toEqual([['failed', 'TerminationProtected']]);
    expect(reverted[0].manualStep).toContain('termination protection');
    expect(await statesOf([instanceId])).toEqual({ [instanceId]: 'running' });
    const { DisableApiTermination } = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
    );
    expect(DisableApiTermination?.Value).toBe(true);
  });

  it('stops the instances an instant EC2 Fleet launched', async () => {
    const { LaunchTemplate } = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: uniqueName('miner'),
        LaunchTemplateData: { ImageId: await anyImage(ec2), InstanceType: 'p3.2xlarge' },
      }),
    );
    const fleet = await ec2.send(
      new CreateFleetCommand({
        Type: 'instant',
        LaunchTemplateConfigs: [
          {
            LaunchTemplateSpecification: {
              LaunchTemplateId: LaunchTemplate!.LaunchTemplateId!,
              Version: '$Latest',
            },
          },
        ],
        TargetCapacitySpecification: {
          TotalTargetCapacity: 2,
          OnDemandTargetCapacity: 2,
          DefaultTargetCapacityType: 'on-demand',
        },
      }),
    );
    const launched = (fleet.Instances ?? []).flatMap((i) => i.InstanceIds ?? []);
    expect(launched).toHaveLength(2);
    const changes = stopLaunchedInstances.changesOf(createFleetRecord('instant', fleet.FleetId!, [launched]));
    expect(changes.map((c) => c.target).sort()).toEqual(launched.map((id) => `instance/${id}`).sort());
    const reverted = await revertAll(changes);
    expect(reverted.flat().map((o) => o.status)).toEqual(['done', 'done']);
    expect(await statesOf(launched)).toEqual(all(launched, 'stopped'));
  });
});
