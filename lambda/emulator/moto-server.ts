import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const MOTO_INSTALL_HINT = 'install it with: pip install "moto[server]" cfn-lint';

export interface MotoServerOptions {
  /** Make moto enforce IAM policies after this many unauthenticated calls (INITIAL_NO_AUTH_ACTION_COUNT). */
  readonly enforceIamAfterCalls?: number;
  /** How long to wait for the server to answer, in milliseconds. */
  readonly startTimeoutMs?: number;
}

export interface MotoServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Fails with an install hint when a command is not on PATH; never lets a suite skip silently. */
export function assertCommandAvailable(command: string, versionFlag = '--version'): void {
  const probe = spawnSync(command, [versionFlag], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${command} is not available (${probe.error?.message ?? `exit ${probe.status}`}); ${MOTO_INSTALL_HINT}`,
    );
  }
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      const response = await fetch(`${url}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within ${timeoutMs} ms`);
}

/**
 * Starts a real moto_server (AWS API emulator) on a free loopback port, with AWS managed policies
 * loaded, and resolves once it answers HTTP.
 */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  assertCommandAvailable('moto_server', '--help');
  const port = await freeLoopbackPort();
  const env: NodeJS.ProcessEnv = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' };
  if (options.enforceIamAfterCalls !== undefined) {
    env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.enforceIamAfterCalls);
  }
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(url, child, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  if (child.pid === undefined) throw new Error('moto_server started without a process id');
  const pid = child.pid;
  return {
    url,
    pid,
    stop: () => stopProcess(child),
  };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
