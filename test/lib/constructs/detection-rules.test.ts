import { Match, Template } from 'aws-cdk-lib/assertions';
import { DETECTIONS } from '../../../lambda/detections/catalogue';
import { buildTestApp, TEST_ACCOUNT } from '../../support/cdk';

type RuleResource = {
  Properties: { EventPattern: Record<string, unknown>; State: string; Description: string };
};

function rulesOf(config: Parameters<typeof buildTestApp>[0]) {
  const template = Template.fromStack(buildTestApp(config).stacks.home);
  return { template, rules: Object.values(template.findResources('AWS::Events::Rule')) as RuleResource[] };
}

describe('detection rules in the home stack', () => {
  const { template, rules } = rulesOf({ honeytokenAccessKeyIds: ['AKIAHONEYTOKEN000001'] });

  it('deploys one rule per detection, none shared', () => {
    expect(rules).toHaveLength(DETECTIONS.length);
    const ids = rules.map((r) => /^Cordon ([a-z0-9-]+):/.exec(r.Properties.Description)?.[1]);
    expect(new Set(ids)).toEqual(new Set(DETECTIONS.map((d) => d.id)));
  });

  it('gives only the honeytoken rule the state that delivers read-only events', () => {
    const readOnly = rules.filter(
      (r) => r.Properties.State === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    );
    expect(readOnly.map((r) => r.Properties.Description)).toEqual(
      DETECTIONS.filter((d) => d.includesReadOnlyEvents).map((d) => expect.stringContaining(d.id)),
    );
    expect(readOnly.length).toBeGreaterThan(0);
  });

  it("excludes Cordon's own role in this account, by its ARN, from every CloudTrail rule", () => {
    const cloudTrailRules = rules.filter(
      (r) => !JSON.stringify(r.Properties.EventPattern).includes('aws.guardduty'),
    );
    expect(cloudTrailRules.length).toBeGreaterThan(0);
    const ownRoleArns = ['responder', 'verifier', 'sweeper'].map(
      (fn) => `arn:aws:iam::${TEST_ACCOUNT}:role/cordon-${fn}-us-east-1`,
    );
    for (const rule of cloudTrailRules) {
      const issuer = (
        rule.Properties.EventPattern as {
          detail: { userIdentity: { sessionContext: { sessionIssuer: unknown } } };
        }
      ).detail.userIdentity.sessionContext.sessionIssuer;
      expect(issuer).toEqual({
        $or: [{ arn: [{ exists: false }] }, { arn: [{ 'anything-but': ownRoleArns }] }],
      });
    }
  });

  it('delivers only the events of the account the stack is deployed in', () => {
    for (const rule of rules) expect(rule.Properties.EventPattern.account).toEqual([TEST_ACCOUNT]);
  });

  it('targets the responder with retries, a maximum event age and the dead-letter queue, each rule with its own permission', () => {
    template.allResourcesProperties('AWS::Events::Rule', {
      Targets: [
        {
          Id: 'Responder',
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResponderFunction'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResponderDeadLetterQueue'), 'Arn'] },
          },
        },
      ],
    });
    const permissions = template.findResources('AWS::Lambda::Permission', {
      Properties: { Principal: 'events.amazonaws.com' },
    });
    expect(Object.keys(permissions)).toHaveLength(rules.length);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DetectionRulesDeadLetters',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
          }),
        ]),
      },
    });
  });

  it('drops the honeytoken rule when no honeytoken is configured, and any rule the config disables', () => {
    const withoutHoneytokens = rulesOf({}).rules;
    expect(withoutHoneytokens).toHaveLength(
      DETECTIONS.length - DETECTIONS.filter((d) => d.includesReadOnlyEvents).length,
    );
    const [first] = DETECTIONS;
    expect(
      rulesOf({
        honeytokenAccessKeyIds: ['AKIAHONEYTOKEN000001'],
        detections: { [first.id]: { enabled: false } },
      }).rules,
    ).toHaveLength(DETECTIONS.length - 1);
  });

  it('turns on a multi-region trail with log file validation and a GuardDuty detector only when asked', () => {
    template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    template.resourceCountIs('AWS::GuardDuty::Detector', 0);
    const withPrerequisites = rulesOf({
      trail: 'create',
      prerequisites: { createGuardDutyDetectors: true },
    }).template;
    withPrerequisites.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      IncludeGlobalServiceEvents: true,
      IsLogging: true,
    });
    withPrerequisites.hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
    });
  });

  it('grants the responder the containment calls its actions declare, attaching and boundaries limited to AWSDenyAll', () => {
    const statement = (pattern: Record<string, unknown>) =>
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(pattern)]) },
      });
    statement({
      Action: Match.arrayWith(['iam:DeleteLoginProfile', 'iam:PutUserPolicy', 'iam:UpdateAccessKey']),
      Resource: `arn:aws:iam::${TEST_ACCOUNT}:user/*`,
    });
    statement({
      Action: 'iam:AttachUserPolicy',
      Condition: { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AWSDenyAll' } },
    });
    // Only the group module's calls reach groups.
    statement({
      Action: ['iam:ListGroupsForUser', 'iam:RemoveUserFromGroup'],
      Resource: [`arn:aws:iam::${TEST_ACCOUNT}:group/*`, `arn:aws:iam::${TEST_ACCOUNT}:user/*`],
    });
  });
});
