import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { CordonConfig } from '../lambda/config/schema';
import { forwarderRegions } from '../lambda/config/forwarder-regions';
import { CordonForwarderStack } from './cordon-forwarder-stack';
import { CordonHomeStack } from './cordon-home-stack';
import { acknowledgeNagFindings } from './nag-acknowledgements';

export const HOME_STACK_NAME = 'Cordon';

export interface CordonStacks {
  readonly home: CordonHomeStack;
  readonly forwarders: readonly CordonForwarderStack[];
}

export { forwarderRegions };

/** Builds Cordon's stacks into an app, with cdk-nag's AwsSolutions pack and our acknowledgements. */
export function buildCordonApp(app: App, config: CordonConfig, account?: string): CordonStacks {
  const home = new CordonHomeStack(app, HOME_STACK_NAME, {
    config,
    env: { account, region: config.homeRegion },
    description: 'Cordon: automated containment of compromised AWS credentials (home region)',
  });
  const forwarders = forwarderRegions(config).map(
    (region) =>
      new CordonForwarderStack(app, `${HOME_STACK_NAME}-Forwarder-${region}`, {
        config,
        env: { account, region },
        description: `Cordon: forwards detections from ${region} to ${config.homeRegion}`,
      }),
  );
  acknowledgeNagFindings(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { home, forwarders };
}
