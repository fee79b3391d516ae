/**
 * Containment of one IAM user, with a FIXED injected delay of 100 ms on every AWS call (an
 * in-memory IAM behind a real IAMClient: support/latency-iam.ts), for a user with 2 access keys,
 * a console password, 10 managed and 5 inline policies and 5 groups. Prints, for Cordon's
 * dataflow (`containIamUser`) and for the same steps done one call at a time (as Cloud Custodian
 * does, the deny last), the time to deny, until every key is inactive and until the user is fully
 * cut off (deny, keys, password, policies and groups all done), in ms and in round trips.
 */
import {
  DeleteLoginProfileCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { performance } from 'node:perf_hooks';
import { containIamUser, DENY_ALL_POLICY_DOCUMENT, DENY_ALL_POLICY_NAME } from '../lambda/actions';
import type { Benchmark } from './run';
import { benchUser, LatencyIam } from './support/latency-iam';

export const DELAY_MS = 100;
export const USER_SHAPE = { keys: 2, managed: 10, inline: 5, groups: 5 } as const;

/** The writes that cut the user off, besides the tag (which records, and cuts nothing). */
const CUTTING_WRITES = [
  'PutUserPolicy',
  'UpdateAccessKey',
  'DeleteLoginProfile',
  'DetachUserPolicy',
  'DeleteUserPolicy',
  'RemoveUserFromGroup',
];

export interface ContainmentTimes {
  readonly denyMs: number;
  readonly keysMs: number;
  readonly doneMs: number;
}

/** Cloud Custodian's way: one call at a time, each action after the previous, the deny last. */
async function containSequentially(iam: IAMClient, userName: string): Promise<void> {
  const UserName = userName;
  await iam.send(new GetUserCommand({ UserName }));
  const { AttachedPolicies = [] } = await iam.send(new ListAttachedUserPoliciesCommand({ UserName }));
  for (const { PolicyArn } of AttachedPolicies)
    await iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn }));
  const { PolicyNames = [] } = await iam.send(new ListUserPoliciesCommand({ UserName }));
  for (const PolicyName of PolicyNames) {
    await iam.send(new GetUserPolicyCommand({ UserName, PolicyName }));
    await iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName }));
  }
  const { Groups = [] } = await iam.send(new ListGroupsForUserCommand({ UserName }));
  for (const { GroupName } of Groups) await iam.send(new RemoveUserFromGroupCommand({ UserName, GroupName }));
  const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName }));
  for (const { AccessKeyId } of AccessKeyMetadata) {
    await iam.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status: 'Inactive' }));
  }
  await iam.send(new GetLoginProfileCommand({ UserName }));
  await iam.send(new DeleteLoginProfileCommand({ UserName }));
  await iam.send(new ListSSHPublicKeysCommand({ UserName }));
  await iam.send(new ListSigningCertificatesCommand({ UserName }));
  await iam.send(new ListServiceSpecificCredentialsCommand({ UserName }));
  await iam.send(new ListMFADevicesCommand({ UserName }));
  await iam.send(new ListUserTagsCommand({ UserName }));
  await iam.send(new TagUserCommand({ UserName, Tags: [{ Key: 'cordon:incident', Value: 'bench' }] }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName,
      PolicyName: DENY_ALL_POLICY_NAME,
      PolicyDocument: DENY_ALL_POLICY_DOCUMENT,
    }),
  );
}

/** Runs one containment against a fresh user and reads the three instants off the call log. */
export async function timeContainment(
  contain: (iam: IAMClient, userName: string) => Promise<unknown>,
  delayMs = DELAY_MS,
): Promise<ContainmentTimes> {
  const start = performance.now();
  const fake = new LatencyIam(benchUser(USER_SHAPE), delayMs, () => performance.now() - start);
  await contain(fake.client, fake.user.name);
  const last = (times: number[], what: string) => {
    if (times.length === 0) throw new Error(`bench: no ${what} took effect`);
    return Math.max(...times);
  };
  const denyMs = last(
    fake.settledAt('PutUserPolicy', (input) => input.PolicyName === DENY_ALL_POLICY_NAME),
    'deny',
  );
  const keysMs = last(
    fake.settledAt('UpdateAccessKey', (input) => input.Status === 'Inactive'),
    'key update',
  );
  const doneMs = last(
    CUTTING_WRITES.flatMap((command) => fake.settledAt(command)),
    'change',
  );
  const user = fake.user;
  if ([...user.accessKeys.values()].some((status) => status === 'Active') || user.loginProfile) {
    throw new Error('bench: a key or the password was left in place');
  }
  if (user.attached.length > 0 || user.groups.length > 0 || user.inline.size !== 1) {
    throw new Error('bench: a policy or a group was left in place');
  }
  return { denyMs, keysMs, doneMs };
}

/** Dataflow runs measured (the median of each figure is printed); one sequential run is enough. */
const RUNS = 5;

async function sequence<T>(count: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < count; index++) results.push(await run());
  return results;
}

function median(runs: readonly ContainmentTimes[]): ContainmentTimes {
  const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    denyMs: middle(runs.map((run) => run.denyMs)),
    keysMs: middle(runs.map((run) => run.keysMs)),
    doneMs: middle(runs.map((run) => run.doneMs)),
  };
}

const roundTrips = (ms: number) => (ms / DELAY_MS).toFixed(2);

export const containBenchmark: Benchmark = {
  name: 'contain',
  async run() {
    const dataflowRun = (iam: IAMClient, userName: string) =>
      containIamUser({ iam, userName, incidentId: 'inc-bench', now: new Date('2024-09-12T08:00:00Z') });
    // One run first, not counted: the SDK's first calls in a process load and compile its code.
    const cold = await timeContainment(dataflowRun);
    const dataflow = median(await sequence(RUNS, () => timeContainment(dataflowRun)));
    const sequential = await timeContainment(containSequentially);
    const ms = (value: number) => `${Math.round(value)} ms`;
    const shape = `${USER_SHAPE.keys} keys, a password, ${USER_SHAPE.managed} managed and ${USER_SHAPE.inline} inline policies, ${USER_SHAPE.groups} groups`;
    return [
      `contain (${DELAY_MS} ms per AWS call; ${shape}; dataflow: median of ${RUNS} runs):`,
      `contain: deny after ${roundTrips(dataflow.denyMs)} RT (${ms(dataflow.denyMs)})`,
      `contain: every key inactive after ${roundTrips(dataflow.keysMs)} RT (${ms(dataflow.keysMs)})`,
      `contain: fully cut off after ${roundTrips(dataflow.doneMs)} RT (${ms(dataflow.doneMs)})`,
      `contain, first run in the process (not counted): deny ${roundTrips(cold.denyMs)} RT, keys ${roundTrips(cold.keysMs)} RT, cut off ${roundTrips(cold.doneMs)} RT`,
      `sequential: deny after ${roundTrips(sequential.denyMs)} RT (${ms(sequential.denyMs)})`,
      `sequential: every key inactive after ${roundTrips(sequential.keysMs)} RT (${ms(sequential.keysMs)})`,
      `sequential: fully cut off after ${roundTrips(sequential.doneMs)} RT (${ms(sequential.doneMs)})`,
    ].join('\n');
  },
};
