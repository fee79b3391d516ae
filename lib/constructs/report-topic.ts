import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ReportTopicProps {
  readonly notificationEmails: readonly string[];
}

/** The SNS topic that tells the security team what happened, encrypted with a key of its own. */
export class ReportTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ReportTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Cordon: encrypts the incident report topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Cordon incident reports',
      masterKey: this.key,
      enforceSSL: true,
    });
    // EventBridge and CloudWatch alarms may publish here later; SNS needs the key to deliver e-mail.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSnsToUseTheKey',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, "*" means this key
      }),
    );
    for (const address of props.notificationEmails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(address));
    }
  }
}
