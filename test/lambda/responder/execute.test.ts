import { EC2Client } from '@aws-sdk/client-ec2';
import { iamAndEc2Only } from '../../support/revert-clients';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { parseConfig } from '../../../lambda/config/load';
import { plan, type Plan } from '../../../lambda/planning/plan';
import { executePlan } from '../../../lambda/responder/execute';
import { ownDeploymentOf } from '../../../lambda/responder/own-deployment';
import type { Signal } from '../../../lambda/signal/signal';

const NOW = new Date('2026-12-01T10:00:00.000Z');

/** A plan that revokes a role's sessions and isolates its instance: two families at once. */
function exfiltrationPlan(): Plan {
  const config = parseConfig({});
  const signal: Signal = {
    kind: 'signal',
    source: 'guardduty',
    eventId: 'evt',
    findingType: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    severity: 8,
    time: NOW.toISOString(),
    region: 'eu-west-1',
    accountId: '123456789012',
    principal: { type: 'AssumedRole', roleName: 'web-app', sessionName: 'i-0a1b2c3d4e5f60718' },
    credentialKind: 'temporary',
    instanceId: 'i-0a1b2c3d4e5f60718',
  };
  return plan({
    signal,
    detections: [
      {
        id: 'guardduty-instance-credential-exfiltration',
        title: 't',
        severity: 'critical',
        source: 'guardduty',
        defaultResponse: 'contain',
        rationale: 'r',
        mitre: 'T1552.005',
        pattern: () => ({}),
      },
    ],
    config,
    own: ownDeploymentOf(config, '123456789012'),
    facts: { roleArn: 'arn:aws:iam::123456789012:role/web-app' },
    recentContainments: 0,
  });
}

describe('executePlan', () => {
  it('runs every action of the plan with its family, in the plan order, the instance in its own region', async () => {
    const iam = new IAMClient({ region: 'us-east-1' });
    mockClient(iam).onAnyCommand().resolves({});
    const regions: string[] = [];
    const ec2 = (region: string) => {
      regions.push(region);
      const client = new EC2Client({ region });
      mockClient(client)
        .onAnyCommand()
        .rejects(Object.assign(new Error('unreachable'), { name: 'RequestExpired' }));
      return client;
    };
    const planned = exfiltrationPlan();
    expect(planned.actions.map((a) => a.kind)).toEqual(['revoke-role-sessions', 'isolate-ec2-instance']);
    const { containments, errors } = await executePlan({
      plan: planned,
      clients: iamAndEc2Only(iam, ec2),
      incidentId: 'inc-1',
      now: NOW,
      accountId: '123456789012',
    });
    expect(errors).toEqual([]);
    expect(containments.map((c) => c.kind)).toEqual([
      'cordon/iam-role-containment',
      'cordon/ec2-instance-containment',
    ]);
    expect(regions).toEqual(['eu-west-1']);
    // The instance could not be read: its isolation fails with the reason; the role's revocation does not wait for it.
    expect(containments[1]).toMatchObject({ effective: false, failures: 1 });
    expect(containments[1].outcomes[0].detail).toContain('RequestExpired: unreachable');
  });

  it('records an action that throws as a whole as an error of the incident, and still runs the others', async () => {
    const iam = new IAMClient({ region: 'us-east-1' });
    mockClient(iam).onAnyCommand().resolves({});
    const planned = exfiltrationPlan();
    const { containments, errors } = await executePlan({
      plan: planned,
      clients: iamAndEc2Only(iam, () => {
        throw new Error('no EC2 client for this region');
      }),
      incidentId: 'inc-1',
      now: NOW,
      accountId: '123456789012',
    });
    expect(containments.map((c) => c.kind)).toEqual(['cordon/iam-role-containment']);
    expect(errors).toEqual([
      {
        action: 'isolate-ec2-instance i-0a1b2c3d4e5f60718',
        name: 'Error',
        message: 'no EC2 client for this region',
      },
    ]);
  });
});
