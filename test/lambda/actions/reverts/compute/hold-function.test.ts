/**
 * hold-function without the emulator: the function of every shape of CreateFunction,
 * UpdateFunctionCode and UpdateFunctionConfiguration record (name, ARN, partial ARN, qualified;
 * API-version suffixes), none in a failed record or another event, and a function of another
 * account refused with no call.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { functionRefOf, holdFunction } from '../../../../../lambda/actions/reverts/compute/hold-function';
import type { CloudTrailRecord } from '../../../../../lambda/actions/reverts/types';
import { ACCOUNT, cloudTrailRecord, mockedClients, REGION, revertContext } from './support';

const lambdaRecord = (
  eventName: string,
  requestParameters: unknown,
  responseElements: unknown,
  errorCode?: string,
) =>
  cloudTrailRecord({
    eventSource: 'lambda.amazonaws.com',
    eventName,
    requestParameters,
    responseElements,
    errorCode,
  });

const held = (record: CloudTrailRecord) => holdFunction.changesOf(record).map((c) => [c.target, c.details]);

const ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:miner`;

describe('hold-function: the function of a record', () => {
  it('reads a function named by a name, an ARN, a partial ARN or a qualified name', () => {
    expect(functionRefOf('miner')).toEqual({ name: 'miner' });
    expect(functionRefOf('miner:prod')).toEqual({ name: 'miner' });
    expect(functionRefOf(ARN)).toEqual({ name: 'miner', accountId: ACCOUNT });
    expect(functionRefOf(`${ARN}:$LATEST`)).toEqual({ name: 'miner', accountId: ACCOUNT });
    expect(functionRefOf(`${ACCOUNT}:function:miner`)).toEqual({ name: 'miner', accountId: ACCOUNT });
    expect(functionRefOf('arn:aws:iam::123456789012:role/x')).toBeUndefined();
    expect(functionRefOf('')).toBeUndefined();
    expect(functionRefOf(42)).toBeUndefined();
  });

  it('finds the function of each event, whatever its API-version suffix', () => {
    const expected = [['function/miner', { accountId: ACCOUNT, functionName: 'miner' }]];
    expect(
      held(
        lambdaRecord(
          'CreateFunction20150331',
          { functionName: 'miner', runtime: 'nodejs20.x' },
          { functionName: 'miner', functionArn: ARN },
        ),
      ),
    ).toEqual(expected);
    expect(
      held(
        lambdaRecord(
          'UpdateFunctionCode20150331v2',
          { functionName: ARN, publish: true },
          { functionName: 'miner', functionArn: ARN },
        ),
      ),
    ).toEqual(expected);
    expect(
      held(
        lambdaRecord('UpdateFunctionConfiguration20150331v2', { functionName: 'miner', timeout: 900 }, null),
      ),
    ).toEqual(expected);
    // Only the answer names it.
    expect(held(lambdaRecord('UpdateFunctionCode20150331v2', {}, { functionArn: ARN }))).toEqual(expected);
  });

  it('finds nothing in a failed record, another event, or one naming no function', () => {
    expect(
      held(lambdaRecord('CreateFunction20150331', { functionName: 'miner' }, null, 'AccessDeniedException')),
    ).toEqual([]);
    expect(held(lambdaRecord('AddPermission20150331v2', { functionName: 'miner' }, {}))).toEqual([]);
    expect(held(lambdaRecord('DeleteFunction20150331', { functionName: 'miner' }, null))).toEqual([]);
    expect(held(lambdaRecord('CreateFunction20150331', {}, {}))).toEqual([]);
    expect(
      held({
        ...lambdaRecord('CreateFunction20150331', { functionName: 'miner' }, {}),
        eventSource: 'ec2.amazonaws.com',
      }),
    ).toEqual([]);
  });

  it('never throws, whatever the record holds', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (requestParameters, responseElements) => {
        holdFunction.changesOf(
          lambdaRecord('UpdateFunctionCode20150331v2', requestParameters, responseElements),
        );
      }),
    );
  });
});

describe('hold-function: refusals', () => {
  it("touches no function of another account, even one the record's own account names by ARN", async () => {
    const lambda = new LambdaClient({ region: REGION });
    const mock = mockClient(lambda);
    const foreignArn = `arn:aws:lambda:${REGION}:210987654321:function:miner`;
    const [change] = holdFunction.changesOf(
      lambdaRecord('UpdateFunctionCode20150331v2', { functionName: foreignArn }, {}),
    );
    expect(change.details).toEqual({ accountId: '210987654321', functionName: 'miner' });
    const outcomes = await holdFunction.revert(change, revertContext(mockedClients({ lambda })));
    expect(outcomes.map((o) => [o.status, o.error?.name])).toEqual([['failed', 'ForeignAccount']]);
    expect(mock.calls()).toHaveLength(0);
  });
});
