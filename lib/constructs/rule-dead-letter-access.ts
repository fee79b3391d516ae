import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { DetectionRule } from './detection-rules';

/** Lets EventBridge put into `queue` the events it could not deliver for these rules, and nothing else. */
export function allowRulesToDeadLetter(queue: sqs.IQueue, rules: readonly DetectionRule[]): void {
  if (rules.length === 0) return;
  queue.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DetectionRulesDeadLetters',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': rules.map(({ rule }) => rule.attrArn) } },
    }),
  );
}
