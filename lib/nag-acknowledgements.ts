import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding Cordon accepts, in one place, each with its reason. A finding not listed
 * here fails the suite (test/lib/nag.test.ts). `pathSuffix` picks the constructs by the end of
 * their construct path (e.g. "Responder/Role"); the acknowledgement covers their children too.
 */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
  readonly pathSuffix: string;
}

export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  {
    id: 'AwsSolutions-IAM5[Resource::<EvidenceBucketC67FF768.Arn>/incidents/*]',
    pathSuffix: 'Responder/Role/DefaultPolicy',
    reason:
      'Incident records are written under incidents/<incident id>/, and incident ids are made at run time: the prefix is the narrowest resource S3 allows.',
  },
  {
    id: 'AwsSolutions-L1',
    pathSuffix: 'Responder/Function',
    reason:
      'The responder runs on nodejs22.x, the runtime its tests and bundle target (node22) are built for; moving to a newer runtime is a tested change, not an automatic one.',
  },
  {
    id: 'AwsSolutions-SQS3',
    pathSuffix: 'Responder/DeadLetterQueue',
    reason: 'This queue is itself the dead-letter queue (Lambda on-failure destination and rule target DLQ).',
  },
];

/** Applies the acknowledgements to every matching construct below `scope`; returns how many matched. */
export function acknowledgeNagFindings(
  scope: IConstruct,
  acknowledgements: readonly NagAcknowledgement[] = NAG_ACKNOWLEDGEMENTS,
): number {
  let applied = 0;
  for (const construct of scope.node.findAll()) {
    for (const ack of acknowledgements) {
      if (construct.node.path.endsWith(ack.pathSuffix)) {
        Validations.of(construct).acknowledge({ id: ack.id, reason: ack.reason });
        applied += 1;
      }
    }
  }
  return applied;
}
