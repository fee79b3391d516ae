/**
 * `cordon respond`, `contain` and `restore` for every principal beside IAM users, through the real
 * binary against the emulator: role sessions, stolen instance credentials, crypto-mining
 * instances, and the stale findings that arrive hours late. Each ends as the issue says after
 * `respond`; a second finding is "already done"; `restore` brings the before-state back.
 */
import { EC2Client, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_CODES } from '../../../../lambda/cli/exit-codes';
import { revokeOlderSessionsDocument } from '../../../../lambda/actions/iam-role';
import { ISOLATION_GROUP_NAME } from '../../../../lambda/actions/ec2-instance';
import { type CliWorkspace, stageCliWorkspace } from '../../../support/cli';
import {
  incidentSnapshots,
  readInstanceState,
  stageInstance,
  stageInstanceRole,
  type StagedInstance,
} from '../../../support/ec2-staging';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../../support/moto';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'detections');
const fixture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Record<string, unknown>;

type Json = Record<string, unknown>;

const TRUST_ACCOUNT = (accountId: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
    ],
  });
let counter = 0;

/**
 * A real-format exfiltration finding, for this account, role and instance, with fresh ids. The
 * attacker's session was seen in use at `seenAt` (a minute ago by default): GuardDuty publishes
 * the finding after it.
 */
function exfiltrationFinding(
  accountId: string,
  roleName: string,
  instanceId: string | null,
  seenAt = new Date(Date.now() - 60_000).toISOString(),
): Json {
  const event = fixture('guardduty-instance-credential-exfiltration/positive-outside-aws.json');
  const detail = event.detail as Json;
  counter += 1;
  const resource = detail.resource as Json;
  const key = resource.accessKeyDetails as Json;
  key.userName = roleName;
  key.principalId = `AROA5Q3KVBFTWEBAPP12:${instanceId ?? 'botocore-session-1700000000'}`;
  return {
    ...event,
    id: `exfiltration-${process.pid}-${counter}`,
    account: accountId,
    time: seenAt,
    detail: {
      ...detail,
      id: `finding${process.pid}x${counter}`,
      accountId,
      createdAt: seenAt,
      updatedAt: seenAt,
    },
  };
}

function cryptominingFinding(accountId: string, staged: StagedInstance): Json {
  const event = fixture('guardduty-ec2-cryptomining-or-backdoor/positive-bitcoin-tool.json');
  const detail = event.detail as Json;
  const resource = detail.resource as Json;
  const instance = resource.instanceDetails as Json;
  counter += 1;
  return {
    ...event,
    id: `cryptomining-${process.pid}-${counter}`,
    account: accountId,
    detail: {
      ...detail,
      id: `mining${process.pid}x${counter}`,
      accountId,
      updatedAt: new Date().toISOString(),
      resource: {
        ...resource,
        instanceDetails: {
          ...instance,
          instanceId: staged.instanceId,
          iamInstanceProfile: { arn: staged.instanceProfileArn, id: 'AIPAEXAMPLE' },
        },
      },
    },
  };
}

interface RecordJson {
  incidentId: string;
  containments: {
    kind: string;
    effective: boolean;
    outcomes: { action: string; status: string; detail: string }[];
    revokedBefore?: string;
  }[];
  plan: { heldBack?: { reason: string; message: string } };
}

describe('cordon respond / restore for role sessions and instances', () => {
  let workspace: CliWorkspace;
  let iam: IAMClient;
  let ec2: EC2Client;
  let accountId: string;
  const writeEvent = (event: unknown) => {
    counter += 1;
    const file = join(workspace.workdir, `event-${counter}.json`);
    writeFileSync(file, JSON.stringify(event));
    return file;
  };
  const respondJson = async (event: unknown, extra: string[] = []) => {
    const run = await workspace.cordon(['respond', writeEvent(event), '--json', ...extra]);
    expect(run.stderr).not.toMatch(/Error/);
    return { status: run.status, record: JSON.parse(run.stdout) as RecordJson };
  };
  const revocation = async (roleName: string) => {
    const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    if (!PolicyNames?.includes('AWSRevokeOlderSessions')) return null;
    const { PolicyDocument } = await iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'AWSRevokeOlderSessions' }),
    );
    return JSON.parse(decodeURIComponent(PolicyDocument!)) as unknown;
  };
  const roleTags = async (roleName: string) =>
    (await iam.send(new ListRoleTagsCommand({ RoleName: roleName }))).Tags ?? [];

  beforeAll(async () => {
    workspace = await stageCliWorkspace(sharedMotoUrl(), 'cordon-principals-');
    iam = workspace.iam;
    accountId = workspace.staged.accountId;
    ec2 = new EC2Client(emulatorClientConfig(sharedMotoUrl()));
  }, 60_000);
  afterAll(() => workspace.remove());

  it('stolen instance credentials: dry run changes nothing; the real run revokes the role and isolates the instance; a second finding is already done; restore brings both back', async () => {
    const staged = await stageInstance(ec2, iam);
    const before = await readInstanceState(ec2, staged.instanceId);
    const tagsBefore = await roleTags(staged.roleName);

    const seenAt = new Date(Date.now() - 60_000).toISOString();
    const dry = await respondJson(
      exfiltrationFinding(accountId, staged.roleName, staged.instanceId, seenAt),
      ['--dry-run'],
    );
    expect(dry.status).toBe(EXIT_CODES.dryRun);
    expect(await revocation(staged.roleName)).toBeNull();
    expect(await readInstanceState(ec2, staged.instanceId)).toEqual(before);

    const first = await respondJson(
      exfiltrationFinding(accountId, staged.roleName, staged.instanceId, seenAt),
    );
    expect(first.status).toBe(EXIT_CODES.ok);
    const [role, instance] = first.record.containments;
    expect(role.kind).toBe('cordon/iam-role-containment');
    expect(await revocation(staged.roleName)).toEqual(
      JSON.parse(revokeOlderSessionsDocument(new Date(role.revokedBefore!))),
    );
    expect(instance.kind).toBe('cordon/ec2-instance-containment');
    const isolated = await readInstanceState(ec2, staged.instanceId);
    expect(isolated.state).toBe('running'); // memory is evidence: not stopped by default
    expect(isolated.terminationProtection).toBe(true);
    expect(isolated.cordonTags['cordon:incident']).toBe(first.record.incidentId);
    expect(isolated.interfaces.every((eni) => eni.groups.length === 1)).toBe(true);
    expect(isolated.interfaces[0].groups).not.toEqual(before.interfaces[0].groups);
    expect(await incidentSnapshots(ec2, first.record.incidentId)).toHaveLength(1);

    // Another finding of the same use (GuardDuty publishes one per detector and type): already done.
    const text = await workspace.cordon([
      'respond',
      writeEvent(exfiltrationFinding(accountId, staged.roleName, staged.instanceId, seenAt)),
    ]);
    expect(text.status).toBe(EXIT_CODES.ok);
    expect(text.stdout).toMatch(/already-done: revoke-older-sessions role\//);
    expect(text.stdout).toMatch(/already-done: isolate-network-interface network-interface\/eni-/);
    expect(text.stdout).toContain('every current user of the role');
    const secondId = /^Cordon incident (\S+):/m.exec(text.stdout)![1];

    // The first incident cannot be restored while the second, open, relies on it.
    const early = await workspace.cordon(['restore', first.record.incidentId]);
    expect(early.status).toBe(EXIT_CODES.leftInPlace);
    expect(early.stdout).toContain(`restore ${secondId}`);
    expect(await revocation(staged.roleName)).not.toBeNull();

    expect((await workspace.cordon(['restore', secondId])).status).toBe(EXIT_CODES.ok);
    const restored = await workspace.cordon(['restore', first.record.incidentId]);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(EXIT_CODES.ok);
    expect(await revocation(staged.roleName)).toBeNull();
    expect(await roleTags(staged.roleName)).toEqual(tagsBefore);
    expect(await readInstanceState(ec2, staged.instanceId)).toEqual(before);
    // The snapshots are evidence: kept.
    expect(await incidentSnapshots(ec2, first.record.incidentId)).toHaveLength(1);
  });

  it('a crypto-mining finding isolates the instance and leaves its role alone', async () => {
    const staged = await stageInstance(ec2, iam);
    const { status, record } = await respondJson(cryptominingFinding(accountId, staged));
    expect(status).toBe(EXIT_CODES.ok);
    expect(record.containments.map((c) => c.kind)).toEqual(['cordon/ec2-instance-containment']);
    const state = await readInstanceState(ec2, staged.instanceId);
    expect(state.terminationProtection).toBe(true);
    expect(await revocation(staged.roleName)).toBeNull();
  });

  it('a role session whose role was deleted since is reported, NOT contained, saying why', async () => {
    const roleName = uniqueName('deleted');
    await iam.send(
      new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: TRUST_ACCOUNT(accountId) }),
    );
    await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
    const { status, record } = await respondJson(
      exfiltrationFinding(accountId, roleName, 'i-0a1b2c3d4e5f60718'),
    );
    expect(status).toBe(EXIT_CODES.heldBack);
    expect(record.plan.heldBack).toMatchObject({ reason: 'principal-unresolved' });
    expect(record.plan.heldBack?.message).toContain(`IAM role ${roleName} no longer exists`);
  });

  it('an instance terminated since: the role is still revoked, the isolation fails with the reason', async () => {
    const staged = await stageInstance(ec2, iam);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [staged.instanceId] }));
    const { status, record } = await respondJson(
      exfiltrationFinding(accountId, staged.roleName, staged.instanceId),
    );
    expect(status).toBe(EXIT_CODES.partial);
    expect(await revocation(staged.roleName)).not.toBeNull();
    const isolation = record.containments.find((c) => c.kind === 'cordon/ec2-instance-containment')!;
    expect(isolation.effective).toBe(false);
    expect(isolation.outcomes.find((o) => o.status === 'failed')?.detail).toMatch(/terminated/);
  });

  it('a finding without instance details still revokes the role and says to find the instance', async () => {
    const { roleName } = await stageInstanceRole(iam, 'no-instance');
    const run = await workspace.cordon([
      'respond',
      writeEvent(exfiltrationFinding(accountId, roleName, null)),
    ]);
    expect(run.status).toBe(EXIT_CODES.ok);
    expect(run.stdout).toContain('the finding names no instance');
    expect(run.stdout).toContain(`Find the instance that holds role ${roleName}`);
    expect(await revocation(roleName)).not.toBeNull();
  });

  it('keeps a console revocation made before, and restore puts it back', async () => {
    const roleName = uniqueName('console-revoked');
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${accountId}:root` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    const earlier: unknown = JSON.parse(revokeOlderSessionsDocument(new Date('2026-01-01T00:00:00Z')));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: JSON.stringify(earlier),
      }),
    );
    const contained = await workspace.cordon(['contain', 'role', roleName, '--json']);
    expect(contained.status).toBe(EXIT_CODES.ok);
    const record = JSON.parse(contained.stdout) as RecordJson;
    expect(await revocation(roleName)).not.toEqual(earlier);
    expect((await workspace.cordon(['restore', record.incidentId])).status).toBe(EXIT_CODES.ok);
    expect(await revocation(roleName)).toEqual(earlier);
  });

  it('contains an instance by hand, from another folder, and refuses a bad instance id or region', async () => {
    const staged = await stageInstance(ec2, iam);
    const run = await workspace.cordon(['contain', 'instance', staged.instanceId, '--region', 'us-east-1']);
    expect(run.status).toBe(EXIT_CODES.ok);
    expect(run.stdout).toContain(`EC2 instance ${staged.instanceId} (us-east-1)`);
    expect(run.stdout).toContain(`EC2 instance ${staged.instanceId} in account ${accountId}, us-east-1`);
    expect(run.stdout).toContain(ISOLATION_GROUP_NAME);
    const missing = await workspace.cordon([
      'contain',
      'instance',
      'i-0123456789abcdef0',
      '--region',
      'us-east-1',
    ]);
    expect(missing.status).toBe(EXIT_CODES.usage);
    expect(missing.stderr).toContain('instance i-0123456789abcdef0 does not exist in us-east-1');
    const bad = await workspace.cordon(['contain', 'instance', 'web-1']);
    expect(bad.status).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toContain('"web-1" is not an EC2 instance id');
    const region = await workspace.cordon(['contain', 'instance', staged.instanceId, '--region', 'mars-1']);
    expect(region.status).toBe(EXIT_CODES.usage);
    expect(region.stderr).toContain('"mars-1" is not an AWS region');
  });
});
