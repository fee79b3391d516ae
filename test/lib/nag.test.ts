import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NAG_ACKNOWLEDGEMENTS, acknowledgeNagFindings } from '../../lib/nag-acknowledgements';
import { buildTestApp, CDK_JSON_CONTEXT } from '../support/cdk';
import { InsecureStack } from '../fixtures/stacks/insecure-stack';
import { buildCordonApp } from '../../lib/app';
import { parseConfig } from '../../lambda/config/load';

describe("cdk-nag's AwsSolutions pack", () => {
  it('finds nothing unacknowledged in Cordon', () => {
    const { app } = buildTestApp({ notificationEmails: ['secops@example.com'], regions: ['eu-west-1'] });
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(
      report.violations.map(
        (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
      ),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('synthesizes the account-agnostic app `cdk synth` builds, whose longer ARNs overflow the default policies, with nothing unacknowledged', () => {
    // CDK moves statements past IAM's inline size into overflow policies at synthesis, so only a
    // real synthesis (with the app's cdk-nag plugin) sees them.
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    buildCordonApp(app, parseConfig({ regions: ['eu-west-1'] }), undefined);
    expect(() => app.synth()).not.toThrow();
  });

  it('gives every acknowledgement a reason, and each one still applies to something', () => {
    const { app } = buildTestApp({ regions: ['eu-west-1'] });
    for (const ack of NAG_ACKNOWLEDGEMENTS) {
      expect(ack.reason.length).toBeGreaterThan(40);
      expect(acknowledgeNagFindings(app, [ack])).toBeGreaterThan(0);
    }
  });

  it('fails on a deliberately insecure stack', () => {
    const app = new App();
    new InsecureStack(app, 'Insecure');
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10', 'AwsSolutions-SQS4']),
    );
  });
});
