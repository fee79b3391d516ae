import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { CordonConfig } from '../../lambda/config/schema';
import { DETECTIONS } from '../../lambda/detections/catalogue';
import { isDetectionEnabled } from '../../lambda/detections/config-overrides';
import { detectionContextFromConfig } from '../../lambda/detections/context';
import { rulePattern, type RuleScope } from '../rule-pattern';
import type { Detection } from '../../lambda/detections/types';
import { actingRoleNames } from '../../lambda/config/own-principals';

/** EventBridge's retry of a rule target: covers delivery only, not the Lambda's own failures. */
export const RULE_TARGET_RETRY_ATTEMPTS = 8;
export const RULE_TARGET_MAX_EVENT_AGE_SECONDS = 3600;

export interface DetectionRulesProps {
  readonly config: CordonConfig;
  /** The one target of every rule, given the rule's detection. */
  target(detection: Detection): events.CfnRule.TargetProperty;
}

export interface DetectionRule {
  readonly detection: Detection;
  readonly rule: events.CfnRule;
}

/**
 * One EventBridge rule per enabled detection of the catalogue, each pattern limited to this account
 * and excluding Cordon's own role in it. Only rules that need read-only events (honeytoken use) take the state that delivers them.
 */
export class DetectionRules extends Construct {
  readonly rules: readonly DetectionRule[];

  constructor(scope: Construct, id: string, props: DetectionRulesProps) {
    super(scope, id);
    const context = detectionContextFromConfig(props.config);
    const stack = Stack.of(this);
    const ruleScope: RuleScope = {
      accountId: stack.account,
      ownRoleArns: actingRoleNames(props.config.homeRegion).map((roleName) =>
        stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: roleName }),
      ),
    };
    const rules: DetectionRule[] = [];
    for (const detection of DETECTIONS) {
      if (!isDetectionEnabled(detection, props.config)) continue;
      const pattern = rulePattern(detection, context, ruleScope);
      if (pattern === null) continue;
      const rule = new events.CfnRule(this, detection.id, {
        description: `Cordon ${detection.id}: ${detection.title}`.slice(0, 512),
        eventPattern: pattern,
        state: detection.includesReadOnlyEvents ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED',
        targets: [props.target(detection)],
      });
      rules.push({ detection, rule });
    }
    this.rules = rules;
  }
}
