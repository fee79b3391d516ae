import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maliciousIpCallerFinding } from '../../../../lambda/demo/guardduty-finding';
import {
  UNAUTHENTICATED_STAGING_CALLS,
  stageCompromisedUser,
  type StagedAccount,
  type StaticCredentials,
} from '../../../../lambda/demo/stage-compromised-user';
import type { MotoServer } from '../../../../lambda/emulator/moto-server';
import { EXIT_CODES } from '../../../../lambda/cli/exit-codes';
import { emulatorCliEnv, runCordon, stageCliWorkspace, type CliWorkspace } from '../../../support/cli';
import { readUserState } from '../../../support/iam-user-state';
import { sharedMotoUrl, startEnforcingMotoServer, uniqueName } from '../../../support/moto';

/**
 * The acceptance, end to end through the real `cordon` binary against moto with IAM
 * enforcement: the attacker's own key is refused after `respond`, not only flags flipped.
 */
describe('cordon respond / restore against an enforcing emulator', () => {
  let server: MotoServer;
  let staged: StagedAccount;
  let admin: IAMClient;
  let workdir: string;

  const asKey = (credentials: StaticCredentials) =>
    new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const cordon = (args: string[]) =>
    runCordon(args, {
      cwd: workdir,
      env: emulatorCliEnv(server.url, staged.admin.credentials),
    });
  const writeEvent = (name: string, event: unknown) => {
    const file = join(workdir, name);
    writeFileSync(file, JSON.stringify(event));
    return file;
  };

  beforeAll(async () => {
    server = await startEnforcingMotoServer(UNAUTHENTICATED_STAGING_CALLS);
    staged = await stageCompromisedUser(server.url);
    admin = asKey(staged.admin.credentials);
    workdir = mkdtempSync(join(tmpdir(), 'cordon-respond-'));
    writeFileSync(
      join(workdir, 'cordon.config.json'),
      JSON.stringify({ protectedPrincipals: [staged.admin.arn] }),
    );
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  it('--dry-run changes nothing and prints the full plan', async () => {
    const before = await readUserState(admin, staged.victim.userName);
    const finding = maliciousIpCallerFinding({
      accountId: staged.accountId,
      userName: staged.victim.userName,
      accessKeyId: staged.victim.keys[0].accessKeyId,
    });
    const run = await cordon(['respond', writeEvent('dry-run.json', finding), '--dry-run']);
    expect(run.stderr).not.toMatch(/Error:/);
    expect(run.status).toBe(EXIT_CODES.dryRun);
    expect(run.stdout).toContain('What would be done (nothing was changed):');
    expect(run.stdout).not.toContain('What was done:');
    expect(run.stdout).toContain(': dry-run');
    for (const step of [
      'deny-all',
      'deactivate-access-key',
      'delete-login-profile',
      'detach-managed-policy',
      'delete-inline-policy',
      'remove-from-group',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`planned: ${step} `));
    }
    expect(run.stdout).not.toMatch(/^\s+- done: /m);
    expect(await readUserState(admin, staged.victim.userName)).toEqual(before);
    await expect(asKey(staged.victim.keys[0]).send(new ListUsersCommand({}))).resolves.toBeDefined();
  });

  it("contains the user: the attacker's keys are refused, nothing grants anything, the admin still works; restore brings it back", async () => {
    const stolen = staged.victim.keys[0];
    await expect(asKey(stolen).send(new ListUsersCommand({}))).resolves.toBeDefined();
    const before = await readUserState(admin, staged.victim.userName);
    const finding = maliciousIpCallerFinding({
      accountId: staged.accountId,
      userName: staged.victim.userName,
      accessKeyId: stolen.accessKeyId,
    });
    const eventFile = writeEvent('finding.json', finding);

    const run = await cordon(['respond', eventFile, '--json']);
    // moto lacks ListServiceSpecificCredentials: that one step fails, every other is done.
    expect(run.status).toBe(EXIT_CODES.partial);
    const record = JSON.parse(run.stdout) as {
      incidentId: string;
      plan: { enforce: boolean };
      containments: { denied: boolean }[];
    };
    expect(record.plan.enforce).toBe(true);
    expect(record.containments).toEqual([expect.objectContaining({ denied: true })]);

    for (const key of staged.victim.keys) {
      await expect(asKey(key).send(new ListUsersCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
    }
    await expect(admin.send(new ListUsersCommand({}))).resolves.toBeDefined();
    const after = await readUserState(admin, staged.victim.userName);
    expect(after).toMatchObject({
      accessKeys: Object.fromEntries(staged.victim.keys.map((key) => [key.accessKeyId, 'Inactive'])),
      loginProfile: { exists: false },
      attachedPolicies: [],
      groups: [],
    });
    expect(Object.keys(after.inlinePolicies)).toEqual(['cordon-deny-all']);
    expect(JSON.parse(after.inlinePolicies['cordon-deny-all'])).toMatchObject({
      Statement: [expect.objectContaining({ Effect: 'Deny', Action: '*', Resource: '*' })],
    });
    expect(after.tags).toMatchObject({ 'cordon:incident': record.incidentId });

    const again = await cordon(['respond', eventFile]);
    expect(again.status).toBe(EXIT_CODES.duplicate);
    expect(again.stdout).toContain(
      `Incident ${record.incidentId} already handled this event: nothing done again`,
    );

    const restore = await cordon(['restore', record.incidentId]);
    expect(restore.status).toBe(0);
    expect(restore.stdout).toContain('done, except what a human must do');
    expect(restore.stdout).toMatch(/console password .*cannot be restored/);
    const restored = await readUserState(admin, staged.victim.userName);
    expect({ ...restored, loginProfile: before.loginProfile }).toEqual(before);
    expect(before.loginProfile.exists).toBe(true);
    expect(restored.loginProfile).toEqual({ exists: false });
    await expect(asKey(stolen).send(new ListUsersCommand({}))).resolves.toBeDefined();
  });

  it("reports a protected principal's finding and changes nothing", async () => {
    const before = await readUserState(admin, staged.admin.userName);
    const finding = maliciousIpCallerFinding({
      accountId: staged.accountId,
      userName: staged.admin.userName,
      accessKeyId: staged.admin.credentials.accessKeyId,
    });
    const run = await cordon(['respond', writeEvent('protected.json', finding)]);
    expect(run.status).toBe(EXIT_CODES.heldBack);
    expect(run.stdout).toContain('held-back');
    expect(run.stdout).toContain(`${staged.admin.arn} is protected`);
    expect(await readUserState(admin, staged.admin.userName)).toEqual(before);
  });

  it('exits 2 on a missing event file, and on one that is not JSON', async () => {
    expect(await cordon(['respond', join(workdir, 'absent.json')])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('no such file'),
    });
    const bad = join(workdir, 'bad.json');
    writeFileSync(bad, '{"detail": ');
    expect(await cordon(['respond', bad])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('is not JSON'),
    });
  });
});

/**
 * The safety rails, each as a new user hit it: on the shared (non-enforcing) emulator, through
 * the real binary, with a fresh account staging per case.
 */
describe('cordon respond: the safety rails hold whatever the event, the config or the order of runs', () => {
  let staged: StagedAccount;
  let iam: IAMClient;
  let workdir: string;
  let workspace: CliWorkspace;
  const cordon = (args: string[], input?: string) => workspace.cordon(args, input);
  const writeEvent = (name: string, event: unknown) => {
    const file = join(workdir, name);
    writeFileSync(file, JSON.stringify(event));
    return file;
  };
  const findingFor = (userName: string, accessKeyId: string, accountId = staged.accountId) =>
    maliciousIpCallerFinding({ accountId, userName, accessKeyId });
  const keyStatus = async (userName: string) =>
    Object.values((await readUserState(iam, userName)).accessKeys);

  beforeEach(async () => {
    workspace = await stageCliWorkspace(sharedMotoUrl(), 'cordon-rails-');
    ({ staged, iam, workdir } = workspace);
  }, 60_000);
  afterEach(() => workspace.remove());

  it('never contains a user protected by its ARN with a path, although the GuardDuty finding names it without', async () => {
    const userName = uniqueName('breakglass');
    const { User } = await iam.send(new CreateUserCommand({ UserName: userName, Path: '/ops/' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    expect(User!.Arn).toBe(`arn:aws:iam::${staged.accountId}:user/ops/${userName}`);
    writeFileSync(
      join(workdir, 'cordon.config.json'),
      JSON.stringify({ protectedPrincipals: [staged.admin.arn, User!.Arn] }),
    );
    const before = await readUserState(iam, userName);
    const run = await cordon([
      'respond',
      writeEvent('breakglass.json', findingFor(userName, AccessKey!.AccessKeyId!)),
    ]);
    expect(run.status).toBe(EXIT_CODES.heldBack);
    expect(run.stdout).toContain(`${User!.Arn} is protected`);
    expect(await readUserState(iam, userName)).toEqual(before);
  });

  it('rejects a finding for another account, records and reports it, and changes nothing', async () => {
    const before = await readUserState(iam, staged.victim.userName);
    const finding = findingFor(staged.victim.userName, staged.victim.keys[0].accessKeyId, '999999999999');
    const run = await cordon(['respond', writeEvent('foreign.json', finding), '--json']);
    expect(run.status).toBe(EXIT_CODES.rejected);
    const record = JSON.parse(run.stdout) as {
      incidentId: string;
      rejection: { reason: string; message: string };
    };
    expect(record.rejection).toMatchObject({ reason: 'other-account' });
    expect(record.rejection.message).toContain(
      `the event is for account 999999999999, and Cordon runs in account ${staged.accountId}`,
    );
    expect(await readUserState(iam, staged.victim.userName)).toEqual(before);
    expect(existsSync(join(workdir, '.cordon', 'incidents', record.incidentId, 'record.json'))).toBe(true);
    const text = await cordon([
      'respond',
      writeEvent('foreign-2.json', { ...finding, id: 'another-delivery' }),
    ]);
    expect(text.stdout).toContain('REJECTED: the event is for account 999999999999');
  });

  it('lets a dry run be followed by the real run of the same event, which contains', async () => {
    const eventFile = writeEvent(
      'finding.json',
      findingFor(staged.victim.userName, staged.victim.keys[0].accessKeyId),
    );
    const dryRun = await cordon(['respond', eventFile, '--dry-run']);
    expect(dryRun.status).toBe(EXIT_CODES.dryRun);
    expect(dryRun.stdout).toContain('would be contained');
    expect(dryRun.stdout).not.toMatch(/the deactivated keys are kept as evidence/);
    expect(await keyStatus(staged.victim.userName)).toEqual(['Active', 'Active']);

    const real = await cordon(['respond', eventFile]);
    expect(real.status).toBe(EXIT_CODES.partial); // moto lacks ListServiceSpecificCredentials
    expect(await keyStatus(staged.victim.userName)).toEqual(['Inactive', 'Inactive']);

    // A dry run again (an operator tuning the config) plans again, and still changes nothing.
    const dryAgain = await cordon(['respond', eventFile, '--dry-run']);
    expect(dryAgain.status).toBe(EXIT_CODES.dryRun);
    expect(dryAgain.stdout).toContain(dryRun.stdout.split('\n')[0]);
    expect(await keyStatus(staged.victim.userName)).toEqual(['Inactive', 'Inactive']);
  });

  it('reads the event from standard input with -', async () => {
    const finding = findingFor(staged.victim.userName, staged.victim.keys[0].accessKeyId);
    const run = await cordon(['respond', '-', '--dry-run'], JSON.stringify(finding));
    expect(run.status).toBe(EXIT_CODES.dryRun);
    expect(run.stdout).toContain(staged.victim.userName);
  });

  it('reports a notify-only event with its own exit code', async () => {
    const createUser = {
      version: '0',
      id: `create-user-${uniqueName('evt')}`,
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.iam',
      account: staged.accountId,
      time: '2026-12-01T09:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: {
        eventVersion: '1.09',
        userIdentity: {
          type: 'IAMUser',
          principalId: 'AIDAEXAMPLE000000001',
          arn: staged.victim.arn,
          accountId: staged.accountId,
          accessKeyId: staged.victim.keys[0].accessKeyId,
          userName: staged.victim.userName,
        },
        eventTime: '2026-12-01T09:00:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser',
        awsRegion: 'us-east-1',
        sourceIPAddress: '198.51.100.23',
        userAgent: 'aws-cli/2.15.0',
        requestParameters: { userName: 'new-user' },
        responseElements: { user: { userName: 'new-user' } },
        eventID: 'e0000000-0000-0000-0000-000000000001',
        readOnly: false,
        eventType: 'AwsApiCall',
        recipientAccountId: staged.accountId,
      },
    };
    const run = await cordon(['respond', writeEvent('create-user.json', createUser)]);
    expect(run.stdout).toContain(': reported');
    expect(run.status).toBe(EXIT_CODES.reported);
  });

  it('restoring the first of two incidents on one user leaves what the second holds; restoring the second brings the user back', async () => {
    const user = staged.victim.userName;
    const before = await readUserState(iam, user);

    const manual = await cordon(['contain', 'user', user, '--json']);
    const first = (JSON.parse(manual.stdout) as { incidentId: string }).incidentId;
    const finding = await cordon([
      'respond',
      writeEvent('finding.json', findingFor(user, staged.victim.keys[0].accessKeyId)),
      '--json',
    ]);
    const second = (JSON.parse(finding.stdout) as { incidentId: string }).incidentId;
    const contained = await readUserState(iam, user);
    expect(Object.values(contained.accessKeys)).toEqual(['Inactive', 'Inactive']);
    expect(contained.tags).toMatchObject({ 'cordon:incident': second });

    const restoreFirst = await cordon(['restore', first]);
    expect(restoreFirst.status).toBe(EXIT_CODES.leftInPlace);
    expect(restoreFirst.stdout).toContain(
      `Left in place on IAM user ${user}: incident ${second} (still open)`,
    );
    const afterFirst = await readUserState(iam, user);
    // The second incident still holds the user: the deny, the inactive keys and its tag stay.
    expect(Object.values(afterFirst.accessKeys)).toEqual(['Inactive', 'Inactive']);
    expect(Object.keys(afterFirst.inlinePolicies)).toContain('cordon-deny-all');
    expect(afterFirst.tags).toMatchObject({ 'cordon:incident': second });

    const restoreSecond = await cordon(['restore', second]);
    expect(restoreSecond.status).toBe(EXIT_CODES.ok);
    const restored = await readUserState(iam, user);
    expect({ ...restored, loginProfile: before.loginProfile }).toEqual(before);
  });

  it('restoring the later incident first keeps the earlier one in force', async () => {
    const user = staged.victim.userName;
    const before = await readUserState(iam, user);
    const first = (
      JSON.parse((await cordon(['contain', 'user', user, '--json'])).stdout) as { incidentId: string }
    ).incidentId;
    const second = (
      JSON.parse(
        (
          await cordon([
            'respond',
            writeEvent('f.json', findingFor(user, staged.victim.keys[0].accessKeyId)),
            '--json',
          ])
        ).stdout,
      ) as { incidentId: string }
    ).incidentId;

    const restoreSecond = await cordon(['restore', second]);
    expect(restoreSecond.status).toBe(EXIT_CODES.leftInPlace);
    expect(restoreSecond.stdout).toContain(`incident ${first} (still open)`);
    const afterSecond = await readUserState(iam, user);
    expect(Object.values(afterSecond.accessKeys)).toEqual(['Inactive', 'Inactive']);
    expect(Object.keys(afterSecond.inlinePolicies)).toContain('cordon-deny-all');
    expect(afterSecond.tags).toMatchObject({ 'cordon:incident': first });

    expect((await cordon(['restore', first])).status).toBe(EXIT_CODES.ok);
    expect({ ...(await readUserState(iam, user)), loginProfile: before.loginProfile }).toEqual(before);
  });

  it('exits 2 naming the incident when there is no such record', async () => {
    const run = await cordon(['restore', 'cordon-20260101T0000-000000000000']);
    expect(run.status).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain('no incident record cordon-20260101T0000-000000000000');
  });
});
