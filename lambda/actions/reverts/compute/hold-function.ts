/**
 * `hold-function`: a Lambda function the attacker created, or whose code or configuration it
 * changed, is held at reserved concurrency 0: it can no longer run, and nothing is deleted (its
 * code and configuration are evidence). Restore puts back the reserved concurrency it had, or
 * removes the reservation when it had none.
 */
import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  PutFunctionConcurrencyCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { at, changeOf, isEventOf, stringAt } from '../record-fields';
import type { ChangeReverter, CloudTrailRecord, JsonValue } from '../types';
import { attempt, settle, type ActionError, type Read } from '../../types';
import { describeError, errorNameOf, eventOf, foreignAccountOutcome, outcome, unchanged } from './outcomes';

export type HeldFunction = {
  /** The function's account: its ARN's, else the record's (recipientAccountId); null when neither says. */
  readonly accountId: string | null;
  readonly functionName: string;
};

/** Its reserved concurrency before the revert: a number, or null when it had no reservation. */
export type ConcurrencyBefore = {
  readonly functionName: string;
  readonly reservedConcurrency: number | null;
};

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,140}$/;
/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`, or the partial `ACCOUNT:function:NAME[:QUALIFIER]`. */
const FUNCTION_ARN =
  /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(\d{12}):function:([A-Za-z0-9_-]{1,140})(?::[A-Za-z0-9$_-]+)?$/;

/** A function named by a name, a (partial) ARN, or `NAME:QUALIFIER`: its name and, from an ARN, its account. */
export function functionRefOf(value: unknown): { name: string; accountId?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const arn = FUNCTION_ARN.exec(value);
  if (arn) return { name: arn[2], accountId: arn[1] };
  const name = value.split(':')[0];
  return FUNCTION_NAME.test(name) && value.split(':').length <= 2 ? { name } : undefined;
}

function functionOf(record: CloudTrailRecord) {
  const candidates = [
    at(record.requestParameters, 'functionName'),
    stringAt(record.responseElements, 'functionArn'),
    stringAt(record.responseElements, 'functionName'),
  ];
  for (const candidate of candidates) {
    const ref = functionRefOf(candidate);
    if (ref) return ref;
  }
  return undefined;
}

const ACTION = 'hold-function';

const target = (functionName: string) => `function/${functionName}`;

async function reservedConcurrency(
  lambda: LambdaClient,
  functionName: string,
): Promise<Read<number | null | 'gone'>> {
  return settle(async () => {
    try {
      const answer = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
      return answer.ReservedConcurrentExecutions ?? null;
    } catch (thrown) {
      if (errorNameOf(thrown) === 'ResourceNotFoundException') return 'gone' as const;
      throw thrown;
    }
  });
}

const said = (reserved: number | null) =>
  reserved === null ? 'no reserved concurrency' : `reserved concurrency ${reserved}`;

function concurrencyBeforeOf(value: JsonValue): ConcurrencyBefore | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { functionName, reservedConcurrency: reserved } = value as Record<string, JsonValue>;
  if (typeof functionName !== 'string') return undefined;
  if (reserved !== null && typeof reserved !== 'number') return undefined;
  return { functionName, reservedConcurrency: reserved };
}

export const holdFunction: ChangeReverter<HeldFunction> = {
  action: ACTION,
  permissions: ['lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency'],
  restorePermissions: [
    'lambda:GetFunctionConcurrency',
    'lambda:PutFunctionConcurrency',
    'lambda:DeleteFunctionConcurrency',
  ],
  resources: ['lambda:function'],
  events: {
    eventSource: 'lambda.amazonaws.com',
    eventNames: ['CreateFunction*', 'UpdateFunctionCode*', 'UpdateFunctionConfiguration*'],
  },
  sweepSwitch: 'holdFunctions',
  summary:
    'holds the function the event created or changed at reserved concurrency 0, so that it cannot run; nothing is deleted',

  changesOf(record) {
    const basics = isEventOf(this, record);
    if (!basics) return [];
    const ref = functionOf(record);
    if (!ref) return [];
    return [
      changeOf(ACTION, basics, target(ref.name), {
        accountId: ref.accountId ?? basics.accountId ?? null,
        functionName: ref.name,
      }),
    ];
  },

  async revert(change, context) {
    const foreign = foreignAccountOutcome(ACTION, change, context.accountId);
    if (foreign) return [foreign];
    const { functionName } = change.details;
    const name = `function ${functionName}, changed by ${eventOf(change)}`;
    const lambda = context.clients.lambda(change.region);
    const read = await reservedConcurrency(lambda, functionName);
    if (!read.ok)
      return [
        outcome(
          ACTION,
          change.target,
          'failed',
          `${name}: its concurrency could not be read, NOT held: ${describeError(read.error)}`,
          null,
          { error: read.error },
        ),
      ];
    if (read.value === 'gone')
      return [unchanged(ACTION, change.target, context.dryRun, `${name}: no longer exists`, null)];
    const before: ConcurrencyBefore = { functionName, reservedConcurrency: read.value };
    if (read.value === 0)
      return [
        unchanged(
          ACTION,
          change.target,
          context.dryRun,
          `${name}: already held at reserved concurrency 0`,
          before,
        ),
      ];
    if (context.dryRun)
      return [
        outcome(
          ACTION,
          change.target,
          'planned',
          `${name}: would be held at reserved concurrency 0 (it has ${said(read.value)}); nothing deleted`,
          before,
        ),
      ];
    const error = await attempt(() =>
      lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: functionName, ReservedConcurrentExecutions: 0 }),
      ),
    );
    return [
      error
        ? outcome(ACTION, change.target, 'failed', `${name}: NOT held: ${describeError(error)}`, before, {
            error,
          })
        : outcome(
            ACTION,
            change.target,
            'done',
            `${name}: held at reserved concurrency 0 (it had ${said(read.value)}); its code and configuration are kept`,
            before,
          ),
    ];
  },

  async undo(change, outcomes, context) {
    const action = `undo-${ACTION}`;
    const reverted = outcomes.find((o) => o.target === change.target);
    const before = reverted && concurrencyBeforeOf(reverted.before);
    const { functionName } = change.details;
    const name = `function ${functionName}`;
    if (reverted?.status !== 'done' || !before)
      return [
        unchanged(
          action,
          change.target,
          context.dryRun,
          `${name}: the revert did not change it`,
          reverted?.before ?? null,
        ),
      ];
    const lambda = context.clients.lambda(change.region);
    const read = await reservedConcurrency(lambda, functionName);
    if (!read.ok)
      return [
        outcome(
          action,
          change.target,
          'failed',
          `${name}: its concurrency could not be read, NOT restored: ${describeError(read.error)}`,
          reverted.before,
          { error: read.error },
        ),
      ];
    if (read.value === 'gone')
      return [
        unchanged(
          action,
          change.target,
          context.dryRun,
          `${name}: no longer exists, nothing to put back`,
          reverted.before,
        ),
      ];
    if (read.value === before.reservedConcurrency)
      return [
        unchanged(
          action,
          change.target,
          context.dryRun,
          `${name}: already has ${said(read.value)}, as before the revert`,
          reverted.before,
        ),
      ];
    if (read.value !== 0)
      return [
        unchanged(
          action,
          change.target,
          context.dryRun,
          `${name}: no longer held (it has ${said(read.value)} since): left as it is`,
          reverted.before,
        ),
      ];
    if (context.dryRun)
      return [
        outcome(
          action,
          change.target,
          'planned',
          `${name}: would get ${said(before.reservedConcurrency)} back, as before the revert of ${eventOf(change)}`,
          reverted.before,
        ),
      ];
    const reserved = before.reservedConcurrency;
    const error: ActionError | undefined = await attempt(() =>
      reserved === null
        ? lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: functionName }))
        : lambda.send(
            new PutFunctionConcurrencyCommand({
              FunctionName: functionName,
              ReservedConcurrentExecutions: reserved,
            }),
          ),
    );
    return [
      error
        ? outcome(
            action,
            change.target,
            'failed',
            `${name}: still held at reserved concurrency 0: ${describeError(error)}`,
            reverted.before,
            { error },
          )
        : outcome(
            action,
            change.target,
            'done',
            `${name}: ${said(reserved)} again, as before the revert of ${eventOf(change)}`,
            reverted.before,
          ),
    ];
  },
};
