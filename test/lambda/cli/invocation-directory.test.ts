import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { invocationDirectory } from '../../../lambda/cli/invocation-directory';
import { PROJECT_ROOT, runCordon, type CliRun } from '../../support/cli';
import { useTempDir } from '../../support/temp-dir';

const FINDING = join(PROJECT_ROOT, 'test', 'fixtures', 'cli', 'guardduty-malicious-ip-caller.json');

describe('invocationDirectory', () => {
  it.each(['cordon', 'demo'])('is INIT_CWD under our npm script %s', (script) => {
    expect(invocationDirectory({ npm_lifecycle_event: script, INIT_CWD: '/home/me/ir' }, '/repo')).toBe(
      '/home/me/ir',
    );
  });

  it.each([
    [
      'INIT_CWD inherited from `npm test` (jest and what it spawns)',
      { npm_lifecycle_event: 'test', INIT_CWD: '/a' },
    ],
    ['INIT_CWD without any npm script', { INIT_CWD: '/a' }],
    ['our script without INIT_CWD', { npm_lifecycle_event: 'cordon' }],
    ['our script with an empty INIT_CWD', { npm_lifecycle_event: 'cordon', INIT_CWD: '' }],
    ['another script', { npm_lifecycle_event: 'bench', INIT_CWD: '/a' }],
    ['nothing from npm', {}],
  ])('is the process cwd with %s', (_, env) => {
    expect(invocationDirectory(env, '/repo')).toBe('/repo');
  });
});

describe('relative paths given to `npm run cordon` from another folder', () => {
  const dir = useTempDir('cordon-npm-run-');

  function runNpm(args: readonly string[], cwd: string): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn('npm', args, { cwd, env: process.env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
      child.stdin.end();
    });
  }

  it('are read from the folder npm was run in (INIT_CWD), not the package root', async () => {
    copyFileSync(FINDING, join(dir(), 'finding.json'));

    const run = await runNpm(
      ['run', '-s', '--prefix', PROJECT_ROOT, 'cordon', '--', 'detect', 'finding.json'],
      dir(),
    );

    expect(run.stderr).not.toContain('cannot read');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      detections: [expect.objectContaining({ id: 'guardduty-iam-credential-finding' })],
    });
  });

  it('are read from INIT_CWD when npm_lifecycle_event is cordon, whatever the process cwd', async () => {
    copyFileSync(FINDING, join(dir(), 'finding.json'));

    const run = await runCordon(['detect', 'finding.json'], {
      cwd: PROJECT_ROOT,
      env: { npm_lifecycle_event: 'cordon', INIT_CWD: dir() },
    });

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      detections: [expect.objectContaining({ id: 'guardduty-iam-credential-finding' })],
    });
  });

  it("are read from the process cwd when INIT_CWD is only inherited (npm test's jest spawning the CLI)", async () => {
    copyFileSync(FINDING, join(dir(), 'finding.json'));

    const run = await runCordon(['detect', 'finding.json'], {
      cwd: dir(),
      env: { npm_lifecycle_event: 'test', INIT_CWD: PROJECT_ROOT },
    });

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      detections: [expect.objectContaining({ id: 'guardduty-iam-credential-finding' })],
    });
  });
});
