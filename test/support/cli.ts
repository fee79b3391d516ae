import { IAMClient } from '@aws-sdk/client-iam';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageCompromisedUser, type StagedAccount } from '../../lambda/demo/stage-compromised-user';
import { uniqueName } from './moto';

export const PROJECT_ROOT = join(__dirname, '..', '..');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `cordon` binary (bin/cordon-cli.js) as a child process. */
export function runCordon(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'cordon-cli.js'), ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * The environment of a `cordon` run against an emulator with these credentials, records in the
 * working folder's `.cordon/incidents/` and no report topic (whatever the test's own environment).
 */
export function emulatorCliEnv(
  endpoint: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    CORDON_EVIDENCE_BUCKET: '',
    CORDON_TOPIC_ARN: '',
  };
}

/** A staged account on the shared emulator, an admin IAM client, and a working folder for `cordon`. */
export interface CliWorkspace {
  readonly staged: StagedAccount;
  readonly iam: IAMClient;
  /** Holds `cordon.config.json` protecting the staged admin; `.cordon/incidents/` lands here. */
  readonly workdir: string;
  readonly cordon: (args: readonly string[], input?: string) => Promise<CliRun>;
  readonly remove: () => void;
}

export async function stageCliWorkspace(endpoint: string, prefix: string): Promise<CliWorkspace> {
  const staged = await stageCompromisedUser(endpoint, {
    admin: uniqueName('admin'),
    victim: uniqueName('victim'),
  });
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: staged.admin.credentials });
  const workdir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(
    join(workdir, 'cordon.config.json'),
    JSON.stringify({ protectedPrincipals: [staged.admin.arn] }),
  );
  return {
    staged,
    iam,
    workdir,
    cordon: (args, input) =>
      runCordon(args, { cwd: workdir, input, env: emulatorCliEnv(endpoint, staged.admin.credentials) }),
    remove: () => rmSync(workdir, { recursive: true, force: true }),
  };
}
