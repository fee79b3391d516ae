import { AwsIncidentStore } from '../incidents/aws-incident-store';
import { SnsReportPublisher } from '../notify/publisher';
import { createAwsClients } from '../responder/clients';
import { readResponderEnvironment, type ResponderEnvironment } from '../responder/environment';
import type { ResponderDependencies } from '../responder/respond';

/** What every Cordon Lambda shares: its environment, the IAM and EC2 clients, the incident store and the report topic. */
export type ContainerBase = Pick<ResponderDependencies, 'iam' | 'config' | 'store' | 'publisher'> & {
  readonly ec2: NonNullable<ResponderDependencies['ec2']>;
  readonly services: NonNullable<ResponderDependencies['services']>;
  readonly environment: ResponderEnvironment;
};

let base: ContainerBase | undefined;

/** Made once per container, on the first event (clients are reused across invocations). */
export function containerBase(): ContainerBase {
  if (!base) {
    const environment = readResponderEnvironment();
    const clients = createAwsClients();
    base = {
      environment,
      iam: clients.iam,
      ec2: clients.ec2,
      services: clients.services,
      config: environment.config,
      store: new AwsIncidentStore({
        s3: clients.s3,
        dynamodb: clients.dynamodb,
        bucket: environment.bucket,
        table: environment.table,
      }),
      publisher: new SnsReportPublisher(clients.sns, environment.topicArn),
    };
  }
  return base;
}
