import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCordon } from '../support/cli';

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

describe('the cordon binary', () => {
  it('is declared in package.json', () => {
    expect(pkg.bin.cordon).toBe('bin/cordon-cli.js');
  });

  it('prints usage with --help and exits 0', async () => {
    const run = await runCordon(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: cordon <command> \[options\]/);
  });

  it('prints the package version with --version', async () => {
    const run = await runCordon(['--version']);
    expect(run).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
  });

  it.each([['frobnicate'], ['--frobnicate']])('exits 2 with usage on %s', async (arg) => {
    const run = await runCordon([arg]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`unknown ${arg.startsWith('-') ? 'option' : 'command'} '${arg}'`);
    expect(run.stderr).toContain('Usage: cordon <command>');
  });
});
