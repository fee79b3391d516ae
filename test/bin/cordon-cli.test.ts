import { EXIT_CODES } from '../../lambda/cli/exit-codes';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCordon } from '../support/cli';
import { readUserState } from '../support/iam-user-state';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../support/moto';
import { useTempDir } from '../support/temp-dir';

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

  describe("the AWS SDK's Node version warning", () => {
    const dir = useTempDir('cordon-cli-warning-');
    // restore builds the AWS clients (which is when the SDK warns) before it reads the missing record.
    const restoreMissing = (setting: string | undefined) =>
      runCordon(['restore', 'cordon-missing'], {
        cwd: dir(),
        env: {
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: setting,
          AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'not-a-secret',
        },
      });

    it('is not printed (the Lambdas run on Node 22)', async () => {
      const run = await restoreMissing(undefined);
      expect(run.stderr).toContain('no incident record cordon-missing');
      expect(run.stderr).not.toContain('NodeVersionSupportWarning');
    });

    it("is left to the caller's own setting", async () => {
      const run = await restoreMissing('false');
      expect(run.stderr).toContain('no incident record cordon-missing');
      const warns = Number(process.versions.node.split('.')[0]) < 22;
      expect(run.stderr.includes('NodeVersionSupportWarning')).toBe(warns);
    });
  });

  describe('--config', () => {
    const dir = useTempDir('cordon-cli-config-');
    const iam = new IAMClient(emulatorClientConfig(sharedMotoUrl()));
    const onMoto = { AWS_ENDPOINT_URL: sharedMotoUrl(), AWS_REGION: 'us-east-1', CORDON_EVIDENCE_BUCKET: '' };

    it('reads an absolute path in another folder: a dry-run config plans and changes nothing', async () => {
      const userName = uniqueName('bob');
      await iam.send(new CreateUserCommand({ UserName: userName }));
      await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
      const before = await readUserState(iam, userName);
      const cwd = join(dir(), 'cwd');
      const configDir = join(dir(), 'configs');
      mkdirSync(cwd);
      mkdirSync(configDir);
      const config = join(configDir, 'dry.json');
      writeFileSync(config, JSON.stringify({ mode: 'dry-run' }));

      const run = await runCordon(['contain', 'user', userName, '--config', config], {
        cwd,
        env: { ...onMoto, ...emulatorCredentials() },
      });

      expect(run.stderr).not.toContain('not found');
      expect(run.status).toBe(EXIT_CODES.dryRun);
      expect(run.stdout).toMatch(/planned: deny-all /);
      expect(run.stdout).not.toMatch(/\bdone: /);
      expect(await readUserState(iam, userName)).toEqual(before);
    });

    it('exits 2 naming a named file that does not exist, rather than enforcing with the defaults', async () => {
      const missing = join(dir(), 'dry.json');

      const run = await runCordon(['contain', 'user', 'bob', '--config', missing], {
        cwd: dir(),
        env: onMoto,
      });

      expect(run.status).toBe(2);
      expect(run.stderr).toContain(
        `Cordon configuration file not found: ${missing} (named "${missing}" by --config)`,
      );
    });
  });
});

function emulatorCredentials(): Record<string, string> {
  const { credentials } = emulatorClientConfig(sharedMotoUrl());
  return { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
}
