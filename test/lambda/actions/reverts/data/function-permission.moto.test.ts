/**
 * remove-function-permission on moto: the statement an attacker added to a function's policy (by
 * name or ARN, as CloudTrail records `AddPermission20150331v2`) is removed, the function's other
 * statements stay, and the undo adds it back with its principal, action and conditions.
 */
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import {
  addPermissionOf,
  removeFunctionPermission,
  type FunctionPermissionChange,
} from '../../../../../lambda/actions/reverts/data/function-permission';
import type { RevertibleChange } from '../../../../../lambda/actions/reverts/types';
import { emulatorRevertClients } from '../../../../support/revert-clients';
import { sharedMotoUrl, uniqueName } from '../../../../support/moto';
import { cloudTrailRecord, MOTO_ACCOUNT, revertContext, undoContext } from './records';

/** The smallest valid zip archive (an end-of-central-directory record): moto stores the code, never runs it. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

describe('remove-function-permission', () => {
  const clients = emulatorRevertClients(sharedMotoUrl());
  const lambda = clients.lambda('us-east-1');

  async function statementsOf(functionName: string): Promise<Record<string, unknown>[]> {
    try {
      const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: functionName }));
      return (JSON.parse(Policy ?? '{}') as { Statement?: Record<string, unknown>[] }).Statement ?? [];
    } catch (thrown) {
      if (thrown instanceof Error && thrown.name === 'ResourceNotFoundException') return [];
      throw thrown;
    }
  }

  async function functionWithServicePermission(): Promise<{ name: string; arn: string }> {
    const name = uniqueName('fn');
    const role = await clients.iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: role.Role?.Arn,
        Handler: 'index.handler',
        Code: { ZipFile: EMPTY_ZIP },
      }),
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: 's3-notification',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceAccount: MOTO_ACCOUNT,
        SourceArn: 'arn:aws:s3:::invoice-uploads',
      }),
    );
    return { name, arn: created.FunctionArn ?? '' };
  }

  /** The attacker's public function URL permission, with the record CloudTrail writes for it. */
  async function opened(functionName: string) {
    const added = await lambda.send(
      new AddPermissionCommand({
        FunctionName: functionName,
        StatementId: 'FunctionURLAllowPublicAccess',
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
      }),
    );
    const record = cloudTrailRecord({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'AddPermission20150331v2',
      requestParameters: {
        functionName,
        statementId: 'FunctionURLAllowPublicAccess',
        action: 'lambda:InvokeFunctionUrl',
        principal: '*',
        functionUrlAuthType: 'NONE',
      },
      responseElements: { statement: added.Statement },
    });
    const [change] = removeFunctionPermission.changesOf(record) as [
      RevertibleChange<FunctionPermissionChange>,
    ];
    return { record, change };
  }

  const sids = (statements: Record<string, unknown>[]) => statements.map((statement) => statement.Sid).sort();

  it('removes exactly the statement added (the function named by ARN), is then already done, and the undo adds it back', async () => {
    const fn = await functionWithServicePermission();
    const { record, change } = await opened(fn.arn);
    expect(change).toEqual(
      expect.objectContaining({
        revert: 'remove-function-permission',
        target: `function/${fn.name}/statement/FunctionURLAllowPublicAccess`,
        eventName: 'AddPermission20150331v2',
        eventId: record.eventID,
      }),
    );
    const opening = await statementsOf(fn.name);
    expect(sids(opening)).toEqual(['FunctionURLAllowPublicAccess', 's3-notification']);

    const planned = await removeFunctionPermission.revert(change, revertContext(clients, true));
    expect(planned).toEqual([expect.objectContaining({ status: 'planned' })]);
    expect(await statementsOf(fn.name)).toEqual(opening);

    const reverted = await removeFunctionPermission.revert(change, revertContext(clients));
    expect(reverted).toEqual([
      expect.objectContaining({
        status: 'done',
        before: {
          statement: expect.objectContaining({ Sid: 'FunctionURLAllowPublicAccess', Principal: '*' }),
        },
      }),
    ]);
    expect(await statementsOf(fn.name)).toEqual(opening.filter((s) => s.Sid === 's3-notification'));
    expect(await removeFunctionPermission.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);

    expect(await removeFunctionPermission.undo(change, reverted, undoContext(clients, true))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect(sids(await statementsOf(fn.name))).toEqual(['s3-notification']);
    expect(await removeFunctionPermission.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    const sortBySid = (list: Record<string, unknown>[]) =>
      [...list].sort((a, b) => String(a.Sid).localeCompare(String(b.Sid)));
    expect(sortBySid(await statementsOf(fn.name))).toEqual(sortBySid(opening));
    expect(await removeFunctionPermission.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it('reports a missing function as failed, not as already done', async () => {
    const [change] = removeFunctionPermission.changesOf(
      cloudTrailRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName: 'AddPermission20150331v2',
        requestParameters: {
          functionName: uniqueName('gone'),
          statementId: 'backdoor',
          action: 'lambda:InvokeFunction',
          principal: '*',
        },
      }),
    );
    expect(await removeFunctionPermission.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ name: 'ResourceNotFoundException' }),
      }),
    ]);
  });

  describe('addPermissionOf', () => {
    const details: FunctionPermissionChange = {
      accountId: MOTO_ACCOUNT,
      functionName: 'f',
      statementId: 'sid',
      qualifier: 'live',
    };
    it("reads Lambda's statement shape: the service principal, the source conditions and the URL auth type", () => {
      expect(
        addPermissionOf(details, {
          Sid: 'sid',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Condition: {
            StringEquals: { 'AWS:SourceAccount': '111122223333', 'lambda:FunctionUrlAuthType': 'NONE' },
            ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::b' },
          },
        }),
      ).toEqual({
        FunctionName: 'f',
        StatementId: 'sid',
        Qualifier: 'live',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceAccount: '111122223333',
        SourceArn: 'arn:aws:s3:::b',
        FunctionUrlAuthType: 'NONE',
      });
      expect(
        addPermissionOf(details, {
          Principal: { AWS: 'arn:aws:iam::444455556666:root' },
          Action: 'lambda:InvokeFunction',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
        }),
      ).toEqual(
        expect.objectContaining({ Principal: 'arn:aws:iam::444455556666:root', PrincipalOrgID: 'o-abc123' }),
      );
    });
    it('gives nothing for a statement without action or principal', () => {
      expect(addPermissionOf(details, { Sid: 'sid' })).toBeUndefined();
    });
  });

  describe('changesOf', () => {
    const record = (eventName: string, requestParameters: unknown, errorCode?: string) =>
      cloudTrailRecord({
        eventSource: 'lambda.amazonaws.com',
        eventName,
        requestParameters,
        ...(errorCode ? { errorCode } : {}),
      });
    it('reads every API-version name, the qualifier and an ARN', () => {
      expect(
        removeFunctionPermission.changesOf(record('AddPermission', { functionName: 'f', statementId: 's' })),
      ).toHaveLength(1);
      const [change] = removeFunctionPermission.changesOf(
        record('AddPermission20150331', {
          functionName: 'arn:aws:lambda:us-east-1:123456789012:function:invoice-renderer',
          statementId: 'backdoor',
          qualifier: 'prod',
        }),
      );
      expect(change.target).toBe('function/invoice-renderer:prod/statement/backdoor');
      expect(change.details).toEqual(expect.objectContaining({ qualifier: 'prod', statementId: 'backdoor' }));
    });
    it('finds nothing in a failed call, a removal, a layer permission or a request without statement id', () => {
      expect(
        removeFunctionPermission.changesOf(
          record('AddPermission20150331v2', { functionName: 'f', statementId: 's' }, 'AccessDeniedException'),
        ),
      ).toEqual([]);
      expect(
        removeFunctionPermission.changesOf(
          record('RemovePermission20150331v2', { functionName: 'f', statementId: 's' }),
        ),
      ).toEqual([]);
      expect(
        removeFunctionPermission.changesOf(
          record('AddLayerVersionPermission20181031', { layerName: 'l', statementId: 's' }),
        ),
      ).toEqual([]);
      expect(
        removeFunctionPermission.changesOf(record('AddPermission20150331v2', { functionName: 'f' })),
      ).toEqual([]);
    });
  });
});
