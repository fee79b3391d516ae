import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { CordonConfig } from './config/schema';
import { EvidenceStore } from './constructs/evidence-store';
import { ReportTopic } from './constructs/report-topic';
import { Responder } from './constructs/responder';
import { responderRoleName } from './own-principals';

/** Where incident records live in the evidence bucket: `incidents/<id>/...`. */
export const INCIDENT_PREFIX = 'incidents/';

export interface CordonHomeStackProps extends StackProps {
  readonly config: CordonConfig;
}

/** Everything Cordon runs in its home region: responder, report topic, evidence store. */
export class CordonHomeStack extends Stack {
  readonly reports: ReportTopic;
  readonly evidence: EvidenceStore;
  readonly responder: Responder;

  constructor(scope: Construct, id: string, props: CordonHomeStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.reports = new ReportTopic(this, 'Reports', { notificationEmails: config.notificationEmails });
    this.evidence = new EvidenceStore(this, 'Evidence');
    this.responder = new Responder(this, 'Responder', {
      roleName: responderRoleName(config.homeRegion),
      reservedConcurrency: config.responderReservedConcurrency,
      environment: {
        CORDON_CONFIG: JSON.stringify(config),
        CORDON_TOPIC_ARN: this.reports.topic.topicArn,
        CORDON_EVIDENCE_BUCKET: this.evidence.bucket.bucketName,
        CORDON_INCIDENTS_TABLE: this.evidence.table.tableName,
      },
    });
    this.grantEvidenceAccess();

    new CfnOutput(this, 'ReportTopicArn', { value: this.reports.topic.topicArn });
    new CfnOutput(this, 'EvidenceBucketName', { value: this.evidence.bucket.bucketName });
    new CfnOutput(this, 'IncidentsTableName', { value: this.evidence.table.tableName });
  }

  /** Exactly the calls the responder makes on its topic, bucket, table and keys; nothing broader. */
  private grantEvidenceAccess(): void {
    const role = this.responder.role;
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
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
        resources: [this.evidence.table.tableArn],
      }),
    );
  }
}
