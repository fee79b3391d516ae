import { assertCommandAvailable, startMotoServer, type MotoServer } from '../../lambda/emulator/moto-server';

declare global {
  var __cordonMotoServer: MotoServer | undefined;
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
}
