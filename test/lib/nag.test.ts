import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NAG_ACKNOWLEDGEMENTS, acknowledgeNagFindings } from '../../lib/nag-acknowledgements';
import { buildTestApp } from '../support/cdk';
import { InsecureStack } from '../fixtures/stacks/insecure-stack';

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
