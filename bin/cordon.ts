#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildCordonApp } from '../lib/app';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfigFile } from '../lib/config/load';

const app = new App();
const configFile =
  (app.node.tryGetContext('config') as string | undefined) ??
  process.env.CORDON_CONFIG_FILE ??
  DEFAULT_CONFIG_FILE;
try {
  buildCordonApp(app, loadConfigFile(configFile), process.env.CDK_DEFAULT_ACCOUNT);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
