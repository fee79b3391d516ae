import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { CordonConfig } from './config/schema';
import { CordonHomeStack } from './cordon-home-stack';
import { acknowledgeNagFindings } from './nag-acknowledgements';

export const HOME_STACK_NAME = 'Cordon';

export interface CordonStacks {
  readonly home: CordonHomeStack;
}

/** Builds Cordon's stacks into an app, with cdk-nag's AwsSolutions pack and our acknowledgements. */
export function buildCordonApp(app: App, config: CordonConfig, account?: string): CordonStacks {
  const home = new CordonHomeStack(app, HOME_STACK_NAME, {
    config,
    env: { account, region: config.homeRegion },
    description: 'Cordon: automated containment of compromised AWS credentials (home region)',
  });
  acknowledgeNagFindings(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { home };
}
