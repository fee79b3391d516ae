import { startMotoServer, type MotoServer } from '../../lambda/emulator/moto-server';

/** Client settings that point any AWS SDK v3 client at an emulator URL. */
export function emulatorClientConfig(url: string, region = 'us-east-1') {
  return {
    endpoint: url,
    region,
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  };
}

/** The moto_server started by the global setup, shared by the whole run: use unique names. */
export function sharedMotoUrl(): string {
  const url = process.env.MOTO_URL;
  if (!url)
    throw new Error('MOTO_URL is not set: the jest global setup (test/support/global-setup.ts) did not run');
  return url;
}

/**
 * A moto_server of the test file's own that enforces IAM after `calls` unauthenticated calls.
 * Call in beforeAll; stop it in afterAll.
 */
export function startEnforcingMotoServer(calls: number): Promise<MotoServer> {
  return startMotoServer({ enforceIamAfterCalls: calls });
}

let counter = 0;
/** A name no other test in this run uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
