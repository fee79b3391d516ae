import { Match, Template } from 'aws-cdk-lib/assertions';
import { forwarderRegions } from '../../lib/app';
import { parseConfig } from '../../lambda/config/load';
import { DETECTIONS } from '../../lambda/detections/catalogue';
import { buildTestApp } from '../support/cdk';

describe('forwarder stacks', () => {
  it('covers every configured region, and us-east-1 (where IAM events arrive) when it is not home', () => {
    expect(forwarderRegions(parseConfig({ homeRegion: 'eu-west-1', regions: ['eu-central-1'] }))).toEqual([
      'eu-central-1',
      'us-east-1',
    ]);
    expect(forwarderRegions(parseConfig({ homeRegion: 'us-east-1', regions: ['eu-west-1'] }))).toEqual([
      'eu-west-1',
    ]);
    expect(forwarderRegions(parseConfig({}))).toEqual([]);
    const { stacks } = buildTestApp({ homeRegion: 'eu-west-1', regions: ['ap-southeast-2'] });
    expect(stacks.forwarders.map((s) => s.region)).toEqual(['ap-southeast-2', 'us-east-1']);
  });

  it("adds the home partition's global events region, not us-east-1, outside the aws partition", () => {
    expect(forwarderRegions(parseConfig({ homeRegion: 'us-gov-east-1' }))).toEqual(['us-gov-west-1']);
    expect(
      forwarderRegions(parseConfig({ homeRegion: 'us-gov-west-1', regions: ['us-gov-east-1'] })),
    ).toEqual(['us-gov-east-1']);
    expect(forwarderRegions(parseConfig({ homeRegion: 'cn-northwest-1' }))).toEqual(['cn-north-1']);
    expect(forwarderRegions(parseConfig({ homeRegion: 'cn-north-1' }))).toEqual([]);
    const { stacks } = buildTestApp({ homeRegion: 'us-gov-east-1' });
    expect(stacks.forwarders.map((s) => s.region)).toEqual(['us-gov-west-1']);
  });

  it("sends each detection's events to the home region's default bus, with a role, retries and a dead-letter queue", () => {
    const { stacks } = buildTestApp({
      homeRegion: 'eu-west-1',
      honeytokenAccessKeyIds: ['AKIAHONEYTOKEN000001'],
    });
    const template = Template.fromStack(stacks.forwarders[0]);
    const rules = template.findResources('AWS::Events::Rule');
    expect(Object.keys(rules)).toHaveLength(DETECTIONS.length);
    template.allResourcesProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default',
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ForwardRole'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetterQueue'), 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'cordon-forwarder-us-east-1',
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })],
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'events:PutEvents', Effect: 'Allow' })] },
    });
  });
});
