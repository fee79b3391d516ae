import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CordonConfig } from '../lambda/config/schema';
import {
  DetectionRules,
  RULE_TARGET_MAX_EVENT_AGE_SECONDS,
  RULE_TARGET_RETRY_ATTEMPTS,
} from './constructs/detection-rules';
import { allowRulesToDeadLetter } from './constructs/rule-dead-letter-access';
import { forwarderRoleName } from '../lambda/config/own-principals';

export interface CordonForwarderStackProps extends StackProps {
  readonly config: CordonConfig;
}

/**
 * A region other than home: the same detection rules, whose target is the home region's default
 * event bus, so that GuardDuty findings, STS calls and regional API calls reach the responder.
 */
export class CordonForwarderStack extends Stack {
  readonly rules: DetectionRules;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: CordonForwarderStackProps) {
    super(scope, id, props);
    const { config } = props;
    const homeBusArn = Stack.of(this).formatArn({
      service: 'events',
      region: config.homeRegion,
      resource: 'event-bus',
      resourceName: 'default',
    });
    const role = new iam.Role(this, 'ForwardRole', {
      roleName: forwarderRoleName(this.region),
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `Cordon: forwards detections from ${this.region} to ${config.homeRegion}`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [homeBusArn] }),
    );
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.rules = new DetectionRules(this, 'Detections', {
      config,
      target: () => ({
        id: 'HomeEventBus',
        arn: homeBusArn,
        roleArn: role.roleArn,
        retryPolicy: {
          maximumRetryAttempts: RULE_TARGET_RETRY_ATTEMPTS,
          maximumEventAgeInSeconds: RULE_TARGET_MAX_EVENT_AGE_SECONDS,
        },
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      }),
    });
    allowRulesToDeadLetter(this.deadLetterQueue, this.rules.rules);
    if (config.prerequisites.createGuardDutyDetectors) {
      new guardduty.CfnDetector(this, 'GuardDutyDetector', {
        enable: true,
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
      });
    }
  }
}
