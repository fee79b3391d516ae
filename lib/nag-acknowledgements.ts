import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { IAM_USER_CONTAINMENT_GRANTS } from '../lambda/actions';
import type { GrantResource } from '../lambda/actions/types';
import { grantResourceArn, RESPONDER_GRANTS, SWEEPER_GRANTS } from './grants';

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

/**
 * The functions that contain and revert: the responder, the verifier that contains again after
 * IAM's propagation window, and the sweeper that stops what the attacker started.
 */
const CONTAINING_FUNCTIONS = ['Responder', 'Verifier', 'Sweeper'] as const;

export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  ...CONTAINING_FUNCTIONS.flatMap((fn): NagAcknowledgement[] => [
    {
      id: 'AwsSolutions-IAM5[Resource::<EvidenceBucketC67FF768.Arn>/incidents/*]',
      // The role's policies: its default policy and, past IAM's inline size, CDK's overflow policies.
      pathSuffix: `${fn}/Role`,
      reason:
        'Incident records are written under incidents/<incident id>/, and incident ids are made at run time: the prefix is the narrowest resource S3 allows.',
    },
    ...resourcesGrantedTo(fn).map((resource): NagAcknowledgement => ({
      id: (stack) => `AwsSolutions-IAM5[Resource::${arnAsNagShowsIt(stack, resource)}]`,
      // The role's policies: its default policy and, past IAM's inline size, CDK's overflow policies.
      pathSuffix: `${fn}/Role`,
      reason:
        resource === '*'
          ? 'Only the account-wide calls (ACCOUNT_WIDE_ACTIONS in lambda/actions/types.ts: EC2 Describe* and block-public-access settings, CloudTrail LookupEvents, S3 account Block Public Access, GuardDuty ListDetectors and CreateDetector) are granted on *: IAM allows them on no narrower resource; every change is granted on its own resource kind.'
          : `Containment and reverts act on the ${resource} an attack names, which is not known at deploy time: every ${resource} of this account is the narrowest resource. Attaching policies and setting boundaries are limited to AWSDenyAll by condition; role-policy writes on Cordon's and CDK's own roles are denied.`,
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

/** The kinds of resource a containing function's grants name (lib/cordon-home-stack.ts grants the same lists). */
function resourcesGrantedTo(fn: (typeof CONTAINING_FUNCTIONS)[number]): GrantResource[] {
  const grants =
    fn === 'Responder' ? RESPONDER_GRANTS : fn === 'Sweeper' ? SWEEPER_GRANTS : IAM_USER_CONTAINMENT_GRANTS;
  return [...new Set(grants.flatMap((grant) => grant.resources))].sort();
}

/** How cdk-nag prints a grant's resource ARN for this stack (tokens as <AWS::Partition>, <AWS::AccountId>). */
function arnAsNagShowsIt(stack: Stack, resource: GrantResource): string {
  const resolved: unknown = stack.resolve(grantResourceArn(stack, resource));
  const text = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const ref = (part as { Ref?: unknown }).Ref;
    if (typeof ref === 'string') return `<${ref}>`;
    const join = (part as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(text).join(join[0]);
    return JSON.stringify(part);
  };
  return text(resolved);
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
