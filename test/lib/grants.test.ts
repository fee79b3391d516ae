import { App, Stack } from 'aws-cdk-lib';
import { containmentStatements, denyWritesOnOwnRoles, grantResourceArn } from '../../lib/grants';
import type { GrantResource } from '../../lambda/actions/types';

const stack = new Stack(new App(), 'Grants', { env: { account: '123456789012', region: 'us-east-1' } });
const resolve = (value: unknown): unknown => stack.resolve(value);
const joined = (value: unknown): string => {
  const resolved = resolve(value);
  if (typeof resolved === 'string') return resolved;
  const parts = (resolved as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
};

describe('grantResourceArn', () => {
  it.each<[GrantResource, string]>([
    ['user', ':iam::123456789012:user/*'],
    ['group', ':iam::123456789012:group/*'],
    ['role', ':iam::123456789012:role/*'],
    ['instance-profile', ':iam::123456789012:instance-profile/*'],
    ['ec2:instance', ':ec2:*:123456789012:instance/*'],
    ['ec2:security-group', ':ec2:*:123456789012:security-group/*'],
    ['ec2:network-interface', ':ec2:*:123456789012:network-interface/*'],
    ['ec2:volume', ':ec2:*:123456789012:volume/*'],
    ['ec2:vpc', ':ec2:*:123456789012:vpc/*'],
    // Snapshot ARNs name no account.
    ['ec2:snapshot', ':ec2:*::snapshot/*'],
  ])('%s is %s, in this account', (resource, suffix) => {
    expect(joined(grantResourceArn(stack, resource))).toBe(`arn:{"Ref":"AWS::Partition"}${suffix}`);
  });

  it('is "*" only for "*" (the Describe* calls)', () => {
    expect(grantResourceArn(stack, '*')).toBe('*');
  });
});

describe('containmentStatements', () => {
  it('gives each grant its actions, its resources and its AWSDenyAll condition', () => {
    const [plain, restricted] = containmentStatements(stack, [
      { actions: ['iam:PutUserPolicy'], resources: ['user'] },
      { actions: ['iam:AttachUserPolicy'], resources: ['user'], awsDenyAllConditionKey: 'iam:PolicyARN' },
    ]).map((statement) => resolve(statement.toStatementJson()) as Record<string, unknown>);
    expect(plain.Action).toBe('iam:PutUserPolicy');
    expect(plain.Condition).toBeUndefined();
    expect(JSON.stringify(restricted.Condition)).toContain('"iam:PolicyARN"');
    expect(JSON.stringify(restricted.Condition)).toContain(':iam::aws:policy/AWSDenyAll');
  });
});

describe('denyWritesOnOwnRoles', () => {
  it("denies role-policy and tag writes on Cordon's roles, the forwarders' and the CDK bootstrap roles", () => {
    const json = resolve(
      denyWritesOnOwnRoles(stack, 'us-east-1', ['eu-west-1'], 'abc').toStatementJson(),
    ) as {
      Effect: string;
      Action: string[];
      Resource: unknown[];
    };
    expect(json.Effect).toBe('Deny');
    expect(json.Action).toEqual([
      'iam:PutRolePolicy',
      'iam:DeleteRolePolicy',
      'iam:TagRole',
      'iam:UntagRole',
    ]);
    const resources = json.Resource.map(joined);
    expect(resources).toEqual([
      'arn:{"Ref":"AWS::Partition"}:iam::123456789012:role/cordon-responder-us-east-1',
      'arn:{"Ref":"AWS::Partition"}:iam::123456789012:role/cordon-verifier-us-east-1',
      'arn:{"Ref":"AWS::Partition"}:iam::123456789012:role/cordon-sweeper-us-east-1',
      'arn:{"Ref":"AWS::Partition"}:iam::123456789012:role/cordon-forwarder-eu-west-1',
      ...['deploy', 'file-publishing', 'image-publishing', 'lookup', 'cfn-exec'].map(
        (kind) => `arn:{"Ref":"AWS::Partition"}:iam::123456789012:role/cdk-abc-${kind}-role-123456789012-*`,
      ),
    ]);
  });
});
