import type { IAMClient } from '@aws-sdk/client-iam';
import type { StagedAccount } from '../../../../lambda/demo/stage-compromised-user';
import { EXIT_CODES } from '../../../../lambda/cli/exit-codes';
import { stageCliWorkspace, type CliWorkspace } from '../../../support/cli';
import { readUserState } from '../../../support/iam-user-state';
import { sharedMotoUrl } from '../../../support/moto';

describe('cordon contain user NAME', () => {
  let staged: StagedAccount;
  let iam: IAMClient;
  let workspace: CliWorkspace;
  const cordon = (args: string[]) => workspace.cordon(args);

  beforeAll(async () => {
    workspace = await stageCliWorkspace(sharedMotoUrl(), 'cordon-contain-');
    ({ staged, iam } = workspace);
  }, 60_000);
  afterAll(() => workspace.remove());

  it('plans without changing anything in --dry-run, then contains the user and records it for restore', async () => {
    const before = await readUserState(iam, staged.victim.userName);
    const dryRun = await cordon(['contain', 'user', staged.victim.userName, '--dry-run']);
    expect(dryRun.status).toBe(EXIT_CODES.dryRun);
    expect(dryRun.stdout).toMatch(/planned: deny-all /);
    expect(await readUserState(iam, staged.victim.userName)).toEqual(before);

    const run = await cordon(['contain', 'user', staged.victim.userName, '--json']);
    // moto lacks ListServiceSpecificCredentials: that one step fails, every other is done.
    expect(run.status).toBe(EXIT_CODES.partial);
    const record = JSON.parse(run.stdout) as { incidentId: string; containments: { denied: boolean }[] };
    expect(record.containments).toEqual([expect.objectContaining({ denied: true })]);
    const after = await readUserState(iam, staged.victim.userName);
    expect(Object.values(after.accessKeys)).toEqual(['Inactive', 'Inactive']);
    expect(after).toMatchObject({ loginProfile: { exists: false }, attachedPolicies: [], groups: [] });

    const restore = await cordon(['restore', record.incidentId]);
    expect(restore.status).toBe(0);
    expect({
      ...(await readUserState(iam, staged.victim.userName)),
      loginProfile: before.loginProfile,
    }).toEqual(before);
  });

  it('refuses a protected principal, exits with the held-back code and changes nothing', async () => {
    const before = await readUserState(iam, staged.admin.userName);
    const run = await cordon(['contain', 'user', staged.admin.userName]);
    expect(run.status).toBe(EXIT_CODES.heldBack);
    expect(run.stdout).toContain(`${staged.admin.arn} is protected`);
    expect(await readUserState(iam, staged.admin.userName)).toEqual(before);
  });

  it('exits 2 naming the user when there is no such user', async () => {
    const run = await cordon(['contain', 'user', 'nobody-by-this-name']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('there is no IAM user named nobody-by-this-name');
  });

  it.each([
    [['contain', 'group', 'app']],
    [['contain', 'user']],
    [['contain', 'user', 'a', 'b']],
    [['contain', 'instance']],
  ])('exits 2 with usage on %j', async (args) => {
    const run = await cordon(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: cordon contain user NAME');
  });
});
