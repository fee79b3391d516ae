import { readdirSync } from 'node:fs';
import { runCordon } from '../../../support/cli';
import { useTempDir } from '../../../support/temp-dir';

describe('cordon demo (the README main command)', () => {
  const tmp = useTempDir('cordon-demo-test-');

  it("contains the staged user and shows the attacker's keys refused, the admin's allowed", async () => {
    // The demo's own temporary folder for TMPDIR, to see what it leaves behind.
    const run = await runCordon(['demo'], { env: { TMPDIR: tmp() } });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Attacker's key AKIA\w+ calls iam:ListUsers: allowed/);
    expect(run.stdout).toMatch(/done: deny-all user\/ci-deployer/);
    expect(
      run.stdout.match(
        /After containment, attacker's key \d \(AKIA\w+\) calls iam:ListUsers: REFUSED: AccessDenied/g,
      ),
    ).toHaveLength(2);
    expect(run.stdout).toContain("The protected admin's key calls iam:ListUsers: allowed");
    expect(run.stdout).toMatch(/Undo with: cordon restore cordon-\d{8}T\d{4}-[0-9a-f]{12}/);
    // The incident record (in a cordon-demo-* folder) goes with the emulator when the demo ends.
    expect(readdirSync(tmp()).filter((name) => name.startsWith('cordon-'))).toEqual([]);
  }, 180_000);
});
