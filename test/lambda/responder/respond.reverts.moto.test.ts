/**
 * A `revert` detection end to end, on the emulator, from the corpus's real-format events with the
 * emulator's ids: a dry run, the real run, a second delivery ("already done"), and restore.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
} from '@aws-sdk/client-ec2';
import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { parseConfig } from '../../../lambda/config/load';
import { LocalIncidentStore } from '../../../lambda/incidents/local-incident-store';
import { outcomeOf } from '../../../lambda/responder/incident-record';
import { respond, type ResponderDependencies } from '../../../lambda/responder/respond';
import { restoreIncident } from '../../../lambda/responder/restore-incident';
import { sharedMotoUrl, uniqueName } from '../../support/moto';
import { emulatorRevertClients } from '../../support/revert-clients';
import { useTempDir } from '../../support/temp-dir';

const ACCOUNT = '123456789012';
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'detections');

/** A corpus event with the account and the resource ids replaced by the emulator's. */
function fixtureEvent(path: string, replacements: Readonly<Record<string, string>>, id: string): unknown {
  let text = readFileSync(join(FIXTURES, path), 'utf8').replaceAll('111122223333', ACCOUNT);
  for (const [from, to] of Object.entries(replacements)) text = text.replaceAll(from, to);
  return { ...(JSON.parse(text) as Record<string, unknown>), id };
}

describe('respond, for a revert detection, on the emulator', () => {
  const url = sharedMotoUrl();
  const clients = emulatorRevertClients(url);
  const dir = useTempDir('cordon-revert-', { per: 'all' });
  const deps = (): ResponderDependencies => ({
    iam: clients.iam,
    ec2: clients.ec2,
    services: clients,
    store: new LocalIncidentStore({ cwd: dir() }),
    publisher: { publish: () => Promise.resolve() },
    config: parseConfig({}),
    accountId: () => Promise.resolve(ACCOUNT),
  });

  it('SSH opened to the world: a dry run changes nothing, the real run revokes exactly that rule, a second delivery is already done, restore puts it back', async () => {
    const ec2 = clients.ec2('us-east-1');
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: uniqueName('web'), Description: 'web' }),
    );
    // A rule of the team's, which the revert must leave alone.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
        ],
      }),
    );
    // The attacker's rule, as the corpus event records it (port 22 from 0.0.0.0/0).
    const { SecurityGroupRules } = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const rules = async () =>
      (
        (
          await ec2.send(
            new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId!] }] }),
          )
        ).SecurityGroupRules ?? []
      )
        .filter((rule) => !rule.IsEgress)
        .map((rule) => `${rule.FromPort} ${rule.CidrIpv4}`)
        .sort();
    expect(await rules()).toEqual(['22 0.0.0.0/0', '443 10.0.0.0/8']);
    const event = (id: string) =>
      fixtureEvent(
        'security-group-opened-to-world/positive-ipv4-ip-permissions.json',
        {
          'sg-0c1d2e3f4a5b69780': GroupId!,
          'sgr-09b3e3d2ca1edf2a2': SecurityGroupRules![0].SecurityGroupRuleId!,
        },
        id,
      );

    const dryRun = await respond(event('evt-sg-1'), deps(), { dryRun: true });
    if (dryRun.duplicate) throw new Error('unexpected duplicate');
    expect(outcomeOf(dryRun.record)).toBe('dry-run');
    expect(dryRun.record.containments.map((c) => c.outcomes.map((o) => o.status))).toEqual([['planned']]);
    expect(await rules()).toEqual(['22 0.0.0.0/0', '443 10.0.0.0/8']);

    const real = await respond(event('evt-sg-1'), deps());
    if (real.duplicate) throw new Error('unexpected duplicate');
    expect(outcomeOf(real.record)).toBe('reverted');
    expect(await rules()).toEqual(['443 10.0.0.0/8']);
    expect(real.report.text).toContain('deploy-bot, which made the change, is NOT contained');
    expect(real.report.text).toContain('cordon contain user deploy-bot');

    // The same change delivered again under another event id (a second rule, a replay): already done.
    const again = await respond(event('evt-sg-2'), deps());
    if (again.duplicate) throw new Error('unexpected duplicate');
    expect(again.record.containments.flatMap((c) => c.outcomes.map((o) => o.status))).toEqual([
      'already-done',
    ]);
    expect(outcomeOf(again.record)).toBe('reverted');

    const restore = await restoreIncident({
      iam: clients.iam,
      ec2: clients.ec2,
      services: clients,
      store: new LocalIncidentStore({ cwd: dir() }),
      incidentId: real.incidentId,
    });
    expect(restore.results.map((r) => r.complete)).toEqual([true]);
    expect(await rules()).toEqual(['22 0.0.0.0/0', '443 10.0.0.0/8']);
  });

  it('a bucket policy opened to everyone: the public statement is removed, the others kept, and restore puts it back', async () => {
    const s3 = clients.s3('us-east-1');
    const bucket = uniqueName('customer-exports').toLowerCase();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const team = {
      Sid: 'TeamRead',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/analytics` },
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
    };
    const publicRead = {
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
    };
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [team, publicRead] }),
      }),
    );
    const sids = async () =>
      (
        JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}') as {
          Statement: { Sid: string }[];
        }
      ).Statement.map((statement) => statement.Sid);
    const event = fixtureEvent(
      's3-bucket-policy-made-public/positive-principal-star.json',
      { 'customer-exports-prod': bucket },
      'evt-s3-1',
    );

    const real = await respond(event, deps());
    if (real.duplicate) throw new Error('unexpected duplicate');
    expect(outcomeOf(real.record)).toBe('reverted');
    expect(await sids()).toEqual(['TeamRead']);

    await restoreIncident({
      iam: clients.iam,
      ec2: clients.ec2,
      services: clients,
      store: new LocalIncidentStore({ cwd: dir() }),
      incidentId: real.incidentId,
    });
    expect(await sids()).toEqual(['TeamRead', 'PublicRead']);
  });
});
