#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildCordonApp } from '../lib/app';
import { ConfigError, loadConfigSource, resolveConfigSource, type ConfigSource } from '../lambda/config/load';
import { LambdaEnvironmentTooLargeError } from '../lib/constructs/responder';

/** -c config=FILE, else $CORDON_CONFIG_FILE, else cordon.config.json; a file that was named must exist. */
function configSource(app: App): ConfigSource {
  const named: unknown = app.node.tryGetContext('config');
  if (named !== undefined && typeof named !== 'string') {
    throw new ConfigError('the CDK context', [
      `config: ${JSON.stringify(named)} is not allowed: must be the path of a JSON file`,
    ]);
  }
  return resolveConfigSource({
    named: { file: named, by: 'the CDK context "config" (-c config=...)' },
    env: process.env,
    cwd: process.cwd(),
  });
}

const app = new App();
let source: ConfigSource | undefined;
try {
  source = configSource(app);
  buildCordonApp(app, loadConfigSource(source), process.env.CDK_DEFAULT_ACCOUNT);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  if (error instanceof LambdaEnvironmentTooLargeError) {
    console.error(
      `Cordon configuration in ${source?.path ?? 'the defaults'} does not fit:\n  ${error.message}`,
    );
    process.exit(1);
  }
  throw error;
}
