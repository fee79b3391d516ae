import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Report } from './report';

/** Where reports go: SNS in the Lambda, the terminal from the CLI. */
export interface ReportPublisher {
  publish(report: Report): Promise<void>;
}

/**
 * Publishes one message with a `default` text for e-mail and the structured JSON for every other
 * protocol (SQS, Lambda, HTTPS), with message attributes for subscription filter policies.
 */
export class SnsReportPublisher implements ReportPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(report: Report): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: report.subject,
        MessageStructure: 'json',
        Message: JSON.stringify({
          default: report.text,
          email: report.text,
          sqs: report.json,
          lambda: report.json,
          https: report.json,
        }),
        MessageAttributes: Object.fromEntries(
          Object.entries(report.attributes).map(([name, value]) => [
            name,
            { DataType: 'String', StringValue: value },
          ]),
        ),
      }),
    );
  }
}
