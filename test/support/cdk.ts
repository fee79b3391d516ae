import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildCordonApp, type CordonStacks } from '../../lib/app';
import { parseConfig } from '../../lambda/config/load';
import type { CordonConfigInput } from '../../lambda/config/schema';

export const TEST_ACCOUNT = '123456789012';

// An App made without an outdir (buildTestApp's default, or `new App()` in a test) synthesizes into a
// cdk.outXXXXXX folder under os.tmpdir() that the CDK removes on process exit, which jest never
// signals (https://github.com/jestjs/jest/issues/10927). Every test file that imports this one
// removes its own after its last test.
afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** The feature flags `cdk synth` uses, from cdk.json, so that tests synthesize the same templates. */
export const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/**
 * Cordon's app for tests, with bundling off (`aws:cdk:bundling-stacks` empty) so that synthesis
 * stays fast; the one test that bundles for real passes `bundle: true`.
 */
export function buildTestApp(
  config: CordonConfigInput = {},
  options: { bundle?: boolean; outdir?: string; context?: Record<string, unknown> } = {},
): { app: App; stacks: CordonStacks } {
  const app = new App({
    outdir: options.outdir,
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stacks = buildCordonApp(app, parseConfig(config), TEST_ACCOUNT);
  return { app, stacks };
}
