import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { iamAndEc2Only } from '../../support/revert-clients';
import { CreateRoleCommand, IAMClient, TagRoleCommand } from '@aws-sdk/client-iam';
import type { InstanceContainmentResult } from '../../../lambda/actions/ec2-instance';
import type { RoleContainmentResult } from '../../../lambda/actions/iam-role';
import { incidentTagOf } from '../../../lambda/responder/holder';
import { stageInstance } from '../../support/ec2-staging';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('incidentTagOf', () => {
  const iam = new IAMClient(emulatorClientConfig(sharedMotoUrl()));
  const ec2 = new EC2Client(emulatorClientConfig(sharedMotoUrl()));
  const clients = iamAndEc2Only(iam, () => ec2);

  it('reads the incident that holds a role now, and none on a role Cordon never tagged', async () => {
    const held = uniqueName('held');
    const free = uniqueName('free');
    for (const name of [held, free])
      await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: TRUST }));
    await iam.send(
      new TagRoleCommand({ RoleName: held, Tags: [{ Key: 'cordon:incident', Value: 'inc-later' }] }),
    );
    const role = (roleName: string) =>
      ({ kind: 'cordon/iam-role-containment', roleName }) as RoleContainmentResult;
    await expect(incidentTagOf(role(held), clients)).resolves.toEqual({ ok: true, value: 'inc-later' });
    await expect(incidentTagOf(role(free), clients)).resolves.toEqual({ ok: true, value: null });
    const gone = await incidentTagOf(role('no-such-role-here'), clients);
    expect(gone).toMatchObject({
      ok: false,
      error: { name: expect.stringMatching(/^NoSuchEntity/) as unknown },
    });
  });

  it("reads an instance's incident tag in the instance's region", async () => {
    const staged = await stageInstance(ec2, iam);
    await ec2.send(
      new CreateTagsCommand({
        Resources: [staged.instanceId],
        Tags: [{ Key: 'cordon:incident', Value: 'inc-2' }],
      }),
    );
    const regions: string[] = [];
    const record = {
      kind: 'cordon/ec2-instance-containment',
      instanceId: staged.instanceId,
      region: 'us-east-1',
    } as InstanceContainmentResult;
    await expect(
      incidentTagOf(
        record,
        iamAndEc2Only(iam, (region) => (regions.push(region), ec2)),
      ),
    ).resolves.toEqual({ ok: true, value: 'inc-2' });
    expect(regions).toEqual(['us-east-1']);
  });
});
