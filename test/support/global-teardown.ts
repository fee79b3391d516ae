import { rm } from 'node:fs/promises';

/** Stops the run's moto_server and removes the run's temporary folder (see global-setup.ts). */
export default async function globalTeardown(): Promise<void> {
  try {
    await globalThis.__cordonMotoServer?.stop();
  } finally {
    const run = globalThis.__cordonRunTmpdir;
    if (run !== undefined) {
      if (run.previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = run.previous;
      await rm(run.dir, { recursive: true, force: true });
    }
  }
}
