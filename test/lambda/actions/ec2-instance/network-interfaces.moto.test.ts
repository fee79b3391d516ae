/**
 * The two swaps of each interface on moto, and what happens when one is refused: the untrack step
 * refused (straight to isolation, and said), the isolation refused after the untrack step (put
 * back in its groups, never left in the allow-all group unless that too is refused, and then
 * loudly), and an interface found in the untrack group (an isolation stopped between its steps).
 * Refusals are injected on the emulator client; everything else is moto's.
 */
import { ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import {
  isolateInstance,
  ISOLATION_GROUP_NAME,
  UNTRACK_GROUP_NAME,
} from '../../../../lambda/actions/ec2-instance';
import { uniqueName } from '../../../support/moto';
import { EmulatorEc2, emulatorIam, NOW, observe, REGION, stageTarget, type IsolationTarget } from './support';

const iam = emulatorIam();

describe('isolate-network-interface on the emulator', () => {
  let emu: EmulatorEc2;
  let target: IsolationTarget;
  let eni0: string;
  let eni1: string;
  beforeEach(async () => {
    emu = new EmulatorEc2();
    target = await stageTarget(emu.ec2, iam);
    [eni0, eni1] = target.interfaceIds;
    emu.clear();
  });
  const isolate = () =>
    isolateInstance({
      ec2: emu.ec2,
      instanceId: target.instanceId,
      region: REGION,
      incidentId: uniqueName('inc'),
      now: NOW,
    });
  const outcomeOf = (result: Awaited<ReturnType<typeof isolate>>, eni: string) =>
    result.outcomes.find((o) => o.target === `network-interface/${eni}`)!;
  /** A refusal of the swaps of this interface after the first `after` of them. */
  const swapsOf = (eni: string, after: number) => {
    let seen = 0;
    return (input: Record<string, unknown>) => input.NetworkInterfaceId === eni && ++seen > after;
  };

  it('goes straight to isolation when the untrack step is refused, and says that older connections may last', async () => {
    emu.fail('ModifyNetworkInterfaceAttribute', 'UnauthorizedOperation', {
      match: swapsOf(eni0, 0),
      times: 1,
    });

    const result = await isolate();

    const isolation = result.isolationGroupId!;
    expect(emu.swaps()).toEqual(
      expect.arrayContaining([
        [eni0, [result.untrackGroupId]],
        [eni0, [isolation]],
      ]),
    );
    expect(outcomeOf(result, eni0)).toMatchObject({
      status: 'done',
      detail: `moved from ${target.groupIds.join(', ')} to ${ISOLATION_GROUP_NAME} ${isolation} (no rule); the untrack step was refused (UnauthorizedOperation: UnauthorizedOperation (injected)), so connections established before may last until they time out`,
    });
    expect(outcomeOf(result, eni1).status).toBe('done');
    expect(result.effective).toBe(true);
    expect((await observe(emu.ec2, target.instanceId)).groups).toEqual({
      [eni0]: [isolation],
      [eni1]: [isolation],
    });
    expect(result.manualSteps).toContainEqual(
      `Connections established before the isolation may last until idle on network-interface/${eni0} (no untrack step): deny the instance's addresses in its subnet's network ACL to cut them now.`,
    );
  });

  it('puts an interface back in its groups when the isolation is refused after the untrack step: never left open', async () => {
    emu.fail('ModifyNetworkInterfaceAttribute', 'RequestLimitExceeded', {
      match: swapsOf(eni0, 1),
      times: 1,
    });

    const result = await isolate();

    const isolation = result.isolationGroupId!;
    const untrack = result.untrackGroupId!;
    expect(emu.swaps().filter(([id]) => id === eni0)).toEqual([
      [eni0, [untrack]],
      [eni0, [isolation]],
      [eni0, target.groupIds],
    ]);
    expect(outcomeOf(result, eni0)).toEqual({
      action: 'isolate-network-interface',
      target: `network-interface/${eni0}`,
      status: 'failed',
      detail: `NOT isolated: moving it to ${ISOLATION_GROUP_NAME} ${isolation} was refused (RequestLimitExceeded: RequestLimitExceeded (injected)); put back in ${target.groupIds.join(', ')}`,
      before: { groupIds: target.groupIds },
      error: { name: 'RequestLimitExceeded', message: 'RequestLimitExceeded (injected)' },
    });
    expect((await observe(emu.ec2, target.instanceId)).groups).toEqual({
      [eni0]: [...target.groupIds].sort(),
      [eni1]: [isolation],
    });
    expect(result).toMatchObject({ effective: false, failures: 1 });
    expect(result.manualSteps).toEqual([expect.stringContaining(`${target.instanceId} is NOT isolated`)]);
  });

  it('says loudly when an interface is left in the allow-all group because putting its groups back was refused too', async () => {
    emu.fail('ModifyNetworkInterfaceAttribute', 'RequestLimitExceeded', {
      match: swapsOf(eni0, 1),
      times: 2,
    });

    const result = await isolate();

    const untrack = result.untrackGroupId!;
    expect(outcomeOf(result, eni0)).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(
        new RegExp(
          `putting back .* was refused too .*: it is STILL IN ${UNTRACK_GROUP_NAME} ${untrack}, which allows all traffic; move it by hand now$`,
        ),
      ),
    });
    expect((await observe(emu.ec2, target.instanceId)).groups[eni0]).toEqual([untrack]);
    expect(result.effective).toBe(false);
  });

  it("fails, untouched, an interface of another VPC than the instance's (Cordon's groups are the instance VPC's)", async () => {
    // moto attaches no interface of another VPC: the answer says so of the second.
    emu.rewrite('DescribeInstances', (output) => {
      const reservations = output.Reservations as {
        Instances: { NetworkInterfaces: Record<string, unknown>[] }[];
      }[];
      const other = reservations[0].Instances[0].NetworkInterfaces.find(
        (e) => e.NetworkInterfaceId === eni1,
      )!;
      other.VpcId = 'vpc-0other';
      return output;
    });

    const result = await isolate();

    expect(outcomeOf(result, eni1)).toMatchObject({
      status: 'failed',
      detail: `NOT isolated: the interface is in vpc-0other, not in the instance's ${target.vpcId}; move it by hand to a group with no rule in vpc-0other, or detach it`,
    });
    expect(outcomeOf(result, eni0).status).toBe('done');
    expect(emu.swaps().map(([id]) => id)).toEqual([eni0, eni0]);
    expect(result.effective).toBe(false);
  });

  it('is already done only for an interface in the isolation group alone: one with another group beside is isolated again', async () => {
    const first = await isolate();
    const isolation = first.isolationGroupId!;
    const web = target.groupIds[0];
    await emu.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni0, Groups: [isolation, web] }),
    );
    emu.clear();

    const result = await isolate();

    expect(outcomeOf(result, eni0)).toMatchObject({ status: 'done', before: { groupIds: [isolation, web] } });
    expect(outcomeOf(result, eni1).status).toBe('already-done');
    expect(emu.swaps()).toEqual([
      [eni0, [first.untrackGroupId]],
      [eni0, [isolation]],
    ]);
    expect((await observe(emu.ec2, target.instanceId)).groups).toEqual({
      [eni0]: [isolation],
      [eni1]: [isolation],
    });
  });

  it('moves on to isolation an interface found in the untrack group, and records its groups as unknown', async () => {
    const first = await isolate();
    const untrack = first.untrackGroupId!;
    // An isolation stopped between its two steps left the first interface in the passage.
    await emu.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni0, Groups: [untrack] }),
    );
    emu.clear();

    const result = await isolate();

    expect(emu.swaps()).toEqual([[eni0, [first.isolationGroupId]]]);
    expect(outcomeOf(result, eni0)).toMatchObject({
      status: 'done',
      detail: `found in ${UNTRACK_GROUP_NAME} ${untrack} (an isolation stopped between its two steps), moved on to ${ISOLATION_GROUP_NAME} ${first.isolationGroupId} (no rule); its groups before that are unknown`,
      before: { groupIds: [untrack] },
    });
    expect(outcomeOf(result, eni1).status).toBe('already-done');
  });
});
