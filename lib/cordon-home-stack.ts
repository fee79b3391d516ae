import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CordonConfig } from '../lambda/config/schema';
import {
  DetectionRules,
  RULE_TARGET_MAX_EVENT_AGE_SECONDS,
  RULE_TARGET_RETRY_ATTEMPTS,
} from './constructs/detection-rules';
import { EvidenceStore } from './constructs/evidence-store';
import { ReportTopic } from './constructs/report-topic';
import { Responder, SWEEPER_ENTRY, VERIFIER_ENTRY } from './constructs/responder';
import { SWEEPER_FUNCTION_ENV } from '../lambda/sweep/starter';
import { VERIFY_QUEUE_URL_ENV } from '../lambda/responder/environment';
import { allowRulesToDeadLetter } from './constructs/rule-dead-letter-access';
import { IAM_USER_CONTAINMENT_GRANTS } from '../lambda/actions';
import type { ContainmentGrant } from '../lambda/actions/types';
import { containmentStatements, denyWritesOnOwnRoles, RESPONDER_GRANTS, SWEEPER_GRANTS } from './grants';
import { INCIDENTS_PREFIX } from '../lambda/incidents/store';
import { responderRoleName, sweeperRoleName, verifierRoleName } from '../lambda/config/own-principals';

/** Where incident records live in the evidence bucket: `incidents/<id>/...` (the stores' own constant). */
export const INCIDENT_PREFIX = INCIDENTS_PREFIX;

export interface CordonHomeStackProps extends StackProps {
  readonly config: CordonConfig;
}

/** Everything Cordon runs in its home region: responder, report topic, evidence store. */
export class CordonHomeStack extends Stack {
  readonly reports: ReportTopic;
  readonly evidence: EvidenceStore;
  readonly responder: Responder;
  readonly verifier: Responder;
  readonly sweeper: Responder;
  readonly verificationQueue: sqs.Queue;
  readonly rules: DetectionRules;

  constructor(scope: Construct, id: string, props: CordonHomeStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.reports = new ReportTopic(this, 'Reports', { notificationEmails: config.notificationEmails });
    this.evidence = new EvidenceStore(this, 'Evidence');
    const shared = {
      CORDON_CONFIG: JSON.stringify(config),
      CORDON_TOPIC_ARN: this.reports.topic.topicArn,
      CORDON_EVIDENCE_BUCKET: this.evidence.bucket.bucketName,
      CORDON_INCIDENTS_TABLE: this.evidence.table.tableName,
    };
    // Containment is verified again once IAM's propagation window has passed: SQS holds each
    // round for its delay (DelaySeconds), so no Lambda waits idle.
    this.verifier = new Responder(this, 'Verifier', {
      roleName: verifierRoleName(config.homeRegion),
      entry: VERIFIER_ENTRY,
      description: "Cordon verifier: contains again what an attacker undid in IAM's propagation window",
      environment: shared,
    });
    this.verificationQueue = new sqs.Queue(this, 'VerificationQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's rule for an SQS event source: at least the function's timeout; AWS advises six times.
      visibilityTimeout: Duration.minutes(12),
      deadLetterQueue: { queue: this.verifier.deadLetterQueue, maxReceiveCount: 3 },
    });
    this.verifier.function.addEventSource(
      new SqsEventSource(this.verificationQueue, { batchSize: 1, reportBatchItemFailures: true }),
    );
    // The sweep reads the attacker's timeline after containment, started asynchronously by the
    // responder; a sweep longer than one invocation continues itself (by its fixed name).
    const sweeperName = `cordon-sweeper-${config.homeRegion}`;
    const sweeperArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: sweeperName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.sweeper = new Responder(this, 'Sweeper', {
      roleName: sweeperRoleName(config.homeRegion),
      functionName: sweeperName,
      entry: SWEEPER_ENTRY,
      timeout: Duration.minutes(15),
      description: "Cordon sweeper: reads the attacker's CloudTrail timeline and stops what it started",
      environment: shared,
    });
    this.responder = new Responder(this, 'Responder', {
      roleName: responderRoleName(config.homeRegion),
      reservedConcurrency: config.responderReservedConcurrency,
      environment: {
        ...shared,
        [VERIFY_QUEUE_URL_ENV]: this.verificationQueue.queueUrl,
        ...(config.sweep.enabled ? { [SWEEPER_FUNCTION_ENV]: sweeperArn } : {}),
      },
    });
    this.verificationQueue.grantSendMessages(this.responder.role);
    for (const role of [this.responder.role, this.verifier.role, this.sweeper.role])
      this.grantEvidenceAccess(role);
    const invokeSweeper = new iam.PolicyStatement({
      actions: ['lambda:InvokeFunction'],
      resources: [sweeperArn],
    });
    if (config.sweep.enabled) this.responder.role.addToPrincipalPolicy(invokeSweeper);
    this.sweeper.role.addToPrincipalPolicy(invokeSweeper);
    // The responder runs every registered action and the principal look-ups; the verifier only
    // contains IAM users again. Neither may write policies on Cordon's or CDK's own roles.
    this.grant(this.responder.role, RESPONDER_GRANTS, config);
    this.grant(this.verifier.role, IAM_USER_CONTAINMENT_GRANTS, config);
    this.grant(this.sweeper.role, SWEEPER_GRANTS, config);
    this.rules = this.deployDetectionRules(config);
    this.turnOnPrerequisites(config);

    new CfnOutput(this, 'ReportTopicArn', { value: this.reports.topic.topicArn });
    new CfnOutput(this, 'EvidenceBucketName', { value: this.evidence.bucket.bucketName });
    new CfnOutput(this, 'IncidentsTableName', { value: this.evidence.table.tableName });
  }

  /** Exactly the calls the responder and the verifier make on the topic, bucket, table and keys; nothing broader. */
  private grantEvidenceAccess(role: iam.Role): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.reports.topic.topicArn] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.reports.key.keyArn, this.evidence.key.keyArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.evidence.bucket.arnForObjects(`${INCIDENT_PREFIX}*`)],
      }),
    );
    // Without ListBucket, S3 answers AccessDenied instead of NoSuchKey for a record that does not exist.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.evidence.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${INCIDENT_PREFIX}*`] } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
        resources: [this.evidence.table.tableArn],
      }),
    );
  }

  /** Exactly the calls these grants declare (lib/grants.ts), and the deny on Cordon's and CDK's own roles. */
  private grant(role: iam.Role, grants: readonly ContainmentGrant[], config: CordonConfig): void {
    for (const statement of containmentStatements(this, grants)) role.addToPrincipalPolicy(statement);
    role.addToPrincipalPolicy(
      denyWritesOnOwnRoles(this, config.homeRegion, config.regions, config.cdkBootstrapQualifier),
    );
  }

  /** One rule per detection, each invoking the responder with its own permission. */
  private deployDetectionRules(config: CordonConfig): DetectionRules {
    const responder = this.responder;
    const rules = new DetectionRules(this, 'Detections', {
      config,
      target: () => ({
        id: 'Responder',
        arn: responder.function.functionArn,
        retryPolicy: {
          maximumRetryAttempts: RULE_TARGET_RETRY_ATTEMPTS,
          maximumEventAgeInSeconds: RULE_TARGET_MAX_EVENT_AGE_SECONDS,
        },
        deadLetterConfig: { arn: responder.deadLetterQueue.queueArn },
      }),
    });
    for (const { detection, rule } of rules.rules) {
      new lambda.CfnPermission(rules, `Invoke-${detection.id}`, {
        action: 'lambda:InvokeFunction',
        functionName: responder.function.functionArn,
        principal: 'events.amazonaws.com',
        sourceArn: rule.attrArn,
        sourceAccount: this.account,
      });
    }
    allowRulesToDeadLetter(responder.deadLetterQueue, rules.rules);
    return rules;
  }

  /** A trail and a GuardDuty detector, where the config asks for them: detection depends on both. */
  private turnOnPrerequisites(config: CordonConfig): void {
    if (config.trail === 'create') {
      new cloudtrail.Trail(this, 'Trail', {
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableFileValidation: true,
        bucket: this.evidence.bucket,
        s3KeyPrefix: 'cloudtrail',
        encryptionKey: this.evidence.key,
        sendToCloudWatchLogs: true,
      });
    }
    if (config.prerequisites.createGuardDutyDetectors) {
      new guardduty.CfnDetector(this, 'GuardDutyDetector', {
        enable: true,
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
      });
    }
  }
}
