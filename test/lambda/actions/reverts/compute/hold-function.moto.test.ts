/**
 * hold-function on moto: a function the attacker created (CreateFunction20150331) or changed
 * (UpdateFunctionConfiguration20150331v2, named by its ARN), found from its real-format record,
 * held at reserved concurrency 0 with nothing else changed; a dry run changes nothing; the second
 * run is already done; undo puts back the reservation it had, or removes it when it had none.
 */
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  PutFunctionConcurrencyCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { holdFunction } from '../../../../../lambda/actions/reverts/compute/hold-function';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';
import { uniqueName } from '../../../../support/moto';
import {
  ACCOUNT,
  cloudTrailRecord,
  emulatorClients,
  REGION,
  revertContext,
  statusesOf,
  undoContext,
} from './support';

const clients = emulatorClients();
const lambda: LambdaClient = clients.lambda(REGION);

/** index.js with `exports.handler = async () => "ok";`, zipped. */
const CODE = Buffer.from(
  'UEsDBBQAAAAAAFUMgl0AklW6JAAAACQAAAAIAAAAaW5kZXguanNleHBvcnRzLmhhbmRsZXIgPSBhc3luYyAoKSA9PiAib2siOwpQSwECFAMUAAAAAABVDIJdAJJVuiQAAAAkAAAACAAAAAAAAAAAAAAAgAEAAAAAaW5kZXguanNQSwUGAAAAAAEAAQA2AAAASgAAAAAA',
  'base64',
);

async function createFunction(): Promise<{ name: string; arn: string; role: string }> {
  const { Role } = await clients.iam.send(
    new CreateRoleCommand({
      RoleName: uniqueName('fn-role'),
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  const name = uniqueName('miner');
  const created = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: Role!.Arn!,
      Handler: 'index.handler',
      Code: { ZipFile: CODE },
    }),
  );
  return { name, arn: created.FunctionArn!, role: Role!.Arn! };
}

function createFunctionRecord(fn: { name: string; arn: string; role: string }): CloudTrailRecord {
  return cloudTrailRecord({
    eventSource: 'lambda.amazonaws.com',
    eventName: 'CreateFunction20150331',
    requestParameters: {
      functionName: fn.name,
      runtime: 'nodejs20.x',
      role: fn.role,
      handler: 'index.handler',
      code: {},
      publish: false,
    },
    responseElements: {
      functionName: fn.name,
      functionArn: fn.arn,
      runtime: 'nodejs20.x',
      role: fn.role,
      handler: 'index.handler',
      codeSize: CODE.length,
      timeout: 3,
      memorySize: 128,
      version: '$LATEST',
      state: 'Pending',
      packageType: 'Zip',
    },
  });
}

function updateConfigurationRecord(fn: { name: string; arn: string; role: string }): CloudTrailRecord {
  return cloudTrailRecord({
    eventSource: 'lambda.amazonaws.com',
    eventName: 'UpdateFunctionConfiguration20150331v2',
    requestParameters: { functionName: fn.arn, environment: {}, timeout: 900 },
    responseElements: {
      functionName: fn.name,
      functionArn: fn.arn,
      timeout: 900,
      lastUpdateStatus: 'InProgress',
    },
  });
}

const reservedOf = async (name: string) =>
  (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions;

describe('hold-function on the emulator', () => {
  it('holds a created function at reserved concurrency 0, once, and undo removes the reservation', async () => {
    const fn = await createFunction();
    const changes = holdFunction.changesOf(createFunctionRecord(fn));
    expect(changes.map((c) => [c.target, c.details])).toEqual([
      [`function/${fn.name}`, { accountId: ACCOUNT, functionName: fn.name }],
    ]);
    const [change] = changes;
    const codeBefore = (await lambda.send(new GetFunctionCommand({ FunctionName: fn.name }))).Configuration
      ?.CodeSha256;

    const planned = await holdFunction.revert(change, revertContext(clients, { dryRun: true }));
    expect(planned.map((o) => o.status)).toEqual(['planned']);
    expect(await reservedOf(fn.name)).toBeUndefined();

    const reverted = await holdFunction.revert(change, revertContext(clients));
    expect(statusesOf(reverted)).toEqual([`done function/${fn.name}`]);
    expect(reverted[0].before).toEqual({ functionName: fn.name, reservedConcurrency: null });
    expect(reverted[0].detail).toContain(change.eventId);
    expect(await reservedOf(fn.name)).toBe(0);
    const after = await lambda.send(new GetFunctionCommand({ FunctionName: fn.name }));
    expect(after.Configuration?.CodeSha256).toBe(codeBefore);

    const again = await holdFunction.revert(change, revertContext(clients));
    expect(again.map((o) => o.status)).toEqual(['already-done']);

    const undoPlanned = await holdFunction.undo(change, reverted, undoContext(clients, true));
    expect(undoPlanned.map((o) => o.status)).toEqual(['planned']);
    expect(await reservedOf(fn.name)).toBe(0);

    const undone = await holdFunction.undo(change, reverted, undoContext(clients));
    expect(undone.map((o) => o.status)).toEqual(['done']);
    expect(await reservedOf(fn.name)).toBeUndefined();
    const undoneAgain = await holdFunction.undo(change, reverted, undoContext(clients));
    expect(undoneAgain.map((o) => o.status)).toEqual(['already-done']);
  });

  it('holds a function named by its ARN, and undo puts its earlier reservation back', async () => {
    const fn = await createFunction();
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: fn.name, ReservedConcurrentExecutions: 5 }),
    );
    const [change] = holdFunction.changesOf(updateConfigurationRecord(fn));
    expect(change.target).toBe(`function/${fn.name}`);

    const reverted = await holdFunction.revert(change, revertContext(clients));
    expect(reverted.map((o) => [o.status, o.before])).toEqual([
      ['done', { functionName: fn.name, reservedConcurrency: 5 }],
    ]);
    expect(await reservedOf(fn.name)).toBe(0);

    const undone = await holdFunction.undo(change, reverted, undoContext(clients));
    expect(undone.map((o) => o.status)).toEqual(['done']);
    expect(await reservedOf(fn.name)).toBe(5);
  });

  it('reports a function that no longer exists as already done', async () => {
    const name = uniqueName('gone');
    const [change] = holdFunction.changesOf(
      createFunctionRecord({ name, arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`, role: 'x' }),
    );
    const reverted = await holdFunction.revert(change, revertContext(clients));
    expect(reverted.map((o) => o.status)).toEqual(['already-done']);
  });
});
