/**
 * A permission added to a Lambda function's resource policy (`AddPermission`, whose CloudTrail
 * name carries the API version: `AddPermission20150331v2`), removed: exactly the statement id the
 * event added, nothing else of the policy. The statement is read from the function's policy first
 * and recorded, so the undo can add it back with its principal, action and conditions.
 */
import {
  AddPermissionCommand,
  GetPolicyCommand,
  RemovePermissionCommand,
  type AddPermissionCommandInput,
  type FunctionUrlAuthType,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { policyDocument, statements } from '../../../detections/catalogue/policy';
import { attempt, settle, type Read } from '../../types';
import { at, changeOf, isEventOf, stringAt } from '../record-fields';
import type {
  ChangeReverter,
  JsonObject,
  JsonValue,
  RevertContext,
  RevertibleChange,
  RevertOutcome,
  UndoContext,
} from '../types';
import {
  eventOf,
  fieldOf,
  foreignAccount,
  jsonOf,
  nothingToUndo,
  outcomeOf,
  revertDone,
  type AccountScoped,
} from './outcome';

export type FunctionPermissionChange = AccountScoped & {
  /** As the request named it: a name, a partial ARN or an ARN. */
  readonly functionName: string;
  readonly statementId: string;
  /** The version or alias whose policy it was added to, or null for the function's. */
  readonly qualifier: string | null;
};

const ACTION = 'remove-function-permission';
const EVENTS = { eventSource: 'lambda.amazonaws.com', eventNames: ['AddPermission*'] } as const;

type Statement = Readonly<Record<string, unknown>>;

/** The function's name in an ARN (`arn:aws:lambda:region:account:function:name[:qualifier]`) or as given. */
export function functionNameOf(functionName: string): string {
  const parts = functionName.split(':');
  const marker = parts.indexOf('function');
  return marker >= 0 && parts[marker + 1] ? parts[marker + 1] : functionName;
}

/** The statement with this Sid in the function's policy, or null when it (or the policy) is not there. */
async function readStatement(
  lambda: LambdaClient,
  details: FunctionPermissionChange,
): Promise<Read<Statement | null>> {
  return settle(async () => {
    try {
      const answer = await lambda.send(
        new GetPolicyCommand({
          FunctionName: details.functionName,
          ...(details.qualifier ? { Qualifier: details.qualifier } : {}),
        }),
      );
      const found = statements(policyDocument(answer.Policy)).find((s) => s.Sid === details.statementId);
      return found ?? null;
    } catch (thrown) {
      // No policy at all: Lambda answers ResourceNotFoundException, as for a missing function, whose
      // message says "Function not found"; only the former means the statement is gone.
      if (
        thrown instanceof Error &&
        thrown.name === 'ResourceNotFoundException' &&
        !/function not found/i.test(thrown.message)
      ) {
        return null;
      }
      throw thrown;
    }
  });
}

/** A condition value by key, whatever the operator and the key's case (`AWS:SourceArn`, `aws:SourceArn`). */
function conditionValue(statement: Statement, key: string): string | undefined {
  const condition = statement.Condition;
  if (typeof condition !== 'object' || condition === null) return undefined;
  for (const entries of Object.values(condition as Record<string, unknown>)) {
    if (typeof entries !== 'object' || entries === null) continue;
    for (const [name, value] of Object.entries(entries as Record<string, unknown>)) {
      if (name.toLowerCase() !== key.toLowerCase()) continue;
      const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
      if (typeof first === 'string') return first;
    }
  }
  return undefined;
}

function firstString(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** The principal AddPermission takes for the statement's: "*", a service, or an AWS account or ARN. */
function principalOf(statement: Statement): string | undefined {
  const principal = statement.Principal;
  if (typeof principal === 'string') return principal;
  if (typeof principal !== 'object' || principal === null) return undefined;
  const fields = principal as Record<string, unknown>;
  return firstString(fields.Service) ?? firstString(fields.AWS);
}

/** The AddPermission request that adds the recorded statement back, as far as the statement says. */
export function addPermissionOf(
  details: FunctionPermissionChange,
  statement: Statement,
): AddPermissionCommandInput | undefined {
  const action = firstString(statement.Action);
  const principal = principalOf(statement);
  if (!action || !principal) return undefined;
  const sourceAccount = conditionValue(statement, 'AWS:SourceAccount');
  const sourceArn = conditionValue(statement, 'AWS:SourceArn');
  const principalOrgId = conditionValue(statement, 'aws:PrincipalOrgID');
  const eventSourceToken = conditionValue(statement, 'lambda:EventSourceToken');
  // Lambda writes the auth type as a condition; moto writes it as a field of the statement.
  const authType =
    conditionValue(statement, 'lambda:FunctionUrlAuthType') ?? firstString(statement.FunctionUrlAuthType);
  return {
    FunctionName: details.functionName,
    StatementId: details.statementId,
    Action: action,
    Principal: principal,
    ...(details.qualifier ? { Qualifier: details.qualifier } : {}),
    ...(sourceAccount ? { SourceAccount: sourceAccount } : {}),
    ...(sourceArn ? { SourceArn: sourceArn } : {}),
    ...(principalOrgId ? { PrincipalOrgID: principalOrgId } : {}),
    ...(eventSourceToken ? { EventSourceToken: eventSourceToken } : {}),
    ...(authType ? { FunctionUrlAuthType: authType as FunctionUrlAuthType } : {}),
  };
}

function describeFunction(change: RevertibleChange<FunctionPermissionChange>): string {
  const { functionName, qualifier } = change.details;
  return `function ${functionNameOf(functionName)}${qualifier ? ` (qualifier ${qualifier})` : ''}`;
}

async function revert(change: RevertibleChange<FunctionPermissionChange>, ctx: RevertContext) {
  const foreign = foreignAccount(ACTION, change, ctx.accountId);
  if (foreign) return [foreign];
  const { statementId } = change.details;
  const lambda = ctx.clients.lambda(change.region);
  const read = await readStatement(lambda, change.details);
  if (!read.ok) {
    const detail = `Could not read the policy of ${describeFunction(change)} to revert ${eventOf(change)}.`;
    return [outcomeOf(ACTION, change, 'failed', detail, null, read.error)];
  }
  const before = { statement: jsonOf(read.value) };
  if (read.value === null) {
    const detail = `The policy of ${describeFunction(change)} has no statement ${statementId}: ${eventOf(change)} is already reverted.`;
    return [outcomeOf(ACTION, change, 'already-done', detail, before)];
  }
  const removal = `statement ${statementId} from the policy of ${describeFunction(change)}, undoing ${eventOf(change)}`;
  if (ctx.dryRun) return [outcomeOf(ACTION, change, 'planned', `Would remove ${removal}.`, before)];
  const error = await attempt(() =>
    lambda.send(
      new RemovePermissionCommand({
        FunctionName: change.details.functionName,
        StatementId: statementId,
        ...(change.details.qualifier ? { Qualifier: change.details.qualifier } : {}),
      }),
    ),
  );
  if (error) return [outcomeOf(ACTION, change, 'failed', `Could not remove ${removal}.`, before, error)];
  return [outcomeOf(ACTION, change, 'done', `Removed ${removal}.`, before)];
}

async function undo(
  change: RevertibleChange<FunctionPermissionChange>,
  outcomes: readonly RevertOutcome[],
  ctx: UndoContext,
) {
  const foreign = foreignAccount(ACTION, change, ctx.accountId);
  if (foreign) return [foreign];
  const reverted = revertDone(ACTION, change, outcomes);
  if (!reverted) return [nothingToUndo(ACTION, change)];
  const recorded = fieldOf(reverted.before, 'statement');
  const request =
    typeof recorded === 'object' && recorded !== null && !Array.isArray(recorded)
      ? addPermissionOf(change.details, recorded as JsonObject)
      : undefined;
  const { statementId } = change.details;
  if (!request) {
    const detail = `Statement ${statementId} of ${describeFunction(change)}, recorded before reverting ${eventOf(change)}, names no action or principal; it cannot be added back.`;
    return [
      {
        ...outcomeOf(ACTION, change, 'failed', detail, null, {
          name: 'UnreadableBefore',
          message: 'the recorded statement has no action or principal',
        }),
        manualStep: `Add statement ${statementId} back to the policy of ${describeFunction(change)} in ${change.region} by hand if it was wanted.`,
      },
    ];
  }
  const lambda = ctx.clients.lambda(change.region);
  const read = await readStatement(lambda, change.details);
  if (!read.ok) {
    const detail = `Could not read the policy of ${describeFunction(change)} to add back what ${eventOf(change)} added.`;
    return [outcomeOf(ACTION, change, 'failed', detail, null, read.error)];
  }
  const before: JsonValue = { statement: jsonOf(read.value) };
  if (read.value !== null) {
    const detail = `The policy of ${describeFunction(change)} has statement ${statementId} again, as before reverting ${eventOf(change)}.`;
    return [outcomeOf(ACTION, change, 'already-done', detail, before)];
  }
  const adding = `statement ${statementId} (${request.Action} for ${request.Principal}) back to the policy of ${describeFunction(change)}, as recorded before reverting ${eventOf(change)}`;
  if (ctx.dryRun) return [outcomeOf(ACTION, change, 'planned', `Would add ${adding}.`, before)];
  const error = await attempt(() => lambda.send(new AddPermissionCommand(request)));
  if (error) return [outcomeOf(ACTION, change, 'failed', `Could not add ${adding}.`, before, error)];
  return [outcomeOf(ACTION, change, 'done', `Added ${adding}.`, before)];
}

export const removeFunctionPermission: ChangeReverter<FunctionPermissionChange> = {
  action: ACTION,
  permissions: ['lambda:GetPolicy', 'lambda:RemovePermission'],
  restorePermissions: ['lambda:GetPolicy', 'lambda:AddPermission'],
  resources: ['lambda:function'],
  events: EVENTS,
  sweepSwitch: 'revertShares',
  summary: "removes the statement the event added to a Lambda function's resource policy",
  changesOf(record) {
    const basics = isEventOf({ events: EVENTS }, record);
    if (!basics) return [];
    const request = at(record, 'requestParameters');
    const functionName = stringAt(request, 'functionName');
    const statementId = stringAt(request, 'statementId');
    if (!functionName || !statementId) return [];
    const qualifier = stringAt(request, 'qualifier') ?? null;
    const target = `function/${functionNameOf(functionName)}${qualifier ? `:${qualifier}` : ''}/statement/${statementId}`;
    return [
      changeOf(ACTION, basics, target, {
        accountId: basics.accountId ?? null,
        functionName,
        statementId,
        qualifier,
      }),
    ];
  },
  revert,
  undo,
};
