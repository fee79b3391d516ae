import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCommandAvailable, startMotoServer, type MotoServer } from '../../lambda/emulator/moto-server';

declare global {
  var __cordonMotoServer: MotoServer | undefined;
  /** The run's temporary folder, and the TMPDIR it replaced; the teardown removes the folder. */
  var __cordonRunTmpdir: { readonly dir: string; readonly previous: string | undefined } | undefined;
}

/**
 * Starts one moto_server for the whole run and hands its URL to the test workers through
 * MOTO_URL. Missing tools fail the run with an install hint: the suite never skips.
 */
export default async function globalSetup(): Promise<void> {
  assertCommandAvailable('cfn-lint', '--version');
  const server = await startMotoServer();
  globalThis.__cordonMotoServer = server;
  process.env.MOTO_URL = server.url;
  // The CLI sets this itself (the Lambdas run on Node 22); the workers' own SDK clients too.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // One temporary folder for the whole run: the workers and every process they start inherit
  // TMPDIR, so whatever a test leaves in os.tmpdir() is removed with it by the teardown.
  const dir = mkdtempSync(join(tmpdir(), 'cordon-jest-'));
  globalThis.__cordonRunTmpdir = { dir, previous: process.env.TMPDIR };
  process.env.TMPDIR = dir;
}
