import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
import { runCordon } from '../../../support/cli';
import { readUserState } from '../../../support/iam-user-state';
import { startEnforcingMotoServer } from '../../../support/moto';

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
      env: {
        AWS_ENDPOINT_URL: server.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: staged.admin.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: staged.admin.credentials.secretAccessKey,
        CORDON_EVIDENCE_BUCKET: '',
        CORDON_TOPIC_ARN: '',
      },
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
    expect(run.status).toBe(0);
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
    expect(run.status).toBe(0);
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
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`Incident ${record.incidentId} already exists for this event`);

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
    expect(run.status).toBe(0);
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
