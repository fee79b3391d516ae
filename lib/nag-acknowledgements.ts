import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding Cordon accepts, in one place, each with its reason. A finding not listed
 * here fails the suite (test/lib/nag.test.ts). `pathSuffix` picks the constructs by the end of
 * their construct path (e.g. "Responder/Role"); the acknowledgement covers their children too.
 */
export interface NagAcknowledgement {
  /** The finding id, or a function of the stack for findings that name its account or partition. */
  readonly id: string | ((stack: Stack) => string);
  readonly reason: string;
  readonly pathSuffix: string;
}

/** The two functions that contain: the responder, and the verifier that contains again after IAM's propagation window. */
const CONTAINING_FUNCTIONS = ['Responder', 'Verifier'] as const;

export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  ...CONTAINING_FUNCTIONS.flatMap((fn): NagAcknowledgement[] => [
    {
      id: 'AwsSolutions-IAM5[Resource::<EvidenceBucketC67FF768.Arn>/incidents/*]',
      pathSuffix: `${fn}/Role/DefaultPolicy`,
      reason:
        'Incident records are written under incidents/<incident id>/, and incident ids are made at run time: the prefix is the narrowest resource S3 allows.',
    },
    ...(['user', 'group'] as const).map((resource): NagAcknowledgement => ({
      id: (stack) => `AwsSolutions-IAM5[Resource::${iamArnAsNagShowsIt(stack, resource)}]`,
      pathSuffix: `${fn}/Role/DefaultPolicy`,
      reason: `Containment acts on the ${resource} an attack names, which is not known at deploy time: every ${resource} of this account is the narrowest resource. Attaching policies and setting boundaries are limited to AWSDenyAll by condition.`,
    })),
    {
      id: 'AwsSolutions-L1',
      pathSuffix: `${fn}/Function`,
      reason:
        'The function runs on nodejs22.x, the runtime its tests and bundle target (node22) are built for; moving to a newer runtime is a tested change, not an automatic one.',
    },
  ]),
  {
    id: 'AwsSolutions-SQS3',
    pathSuffix: '/DeadLetterQueue',
    reason:
      'These queues are themselves dead-letter queues (the responder on-failure destination and the rule targets DLQ, home and forwarders).',
  },
];

/** How cdk-nag prints `arn:${partition}:iam::${account}:<resource>/*` for this stack (tokens as <AWS::...>). */
function iamArnAsNagShowsIt(stack: Stack, resource: string): string {
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:${partition}:iam::${account}:${resource}/*`;
}

/** Applies the acknowledgements to every matching construct below `scope`; returns how many matched. */
export function acknowledgeNagFindings(
  scope: IConstruct,
  acknowledgements: readonly NagAcknowledgement[] = NAG_ACKNOWLEDGEMENTS,
): number {
  let applied = 0;
  for (const construct of scope.node.findAll()) {
    for (const ack of acknowledgements) {
      if (construct.node.path.endsWith(ack.pathSuffix)) {
        const id = typeof ack.id === 'string' ? ack.id : ack.id(Stack.of(construct));
        Validations.of(construct).acknowledge({ id, reason: ack.reason });
        applied += 1;
      }
    }
  }
  return applied;
}
