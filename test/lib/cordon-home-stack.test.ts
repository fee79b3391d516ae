import { Match, Template } from 'aws-cdk-lib/assertions';
import { isAccountWideAction } from '../../lambda/actions/types';
import { INCIDENT_TTL_ATTRIBUTE } from '../../lib/constructs/evidence-store';
import { RESPONDER_ASYNC_RETRY_ATTEMPTS } from '../../lib/constructs/responder';
import { buildTestApp } from '../support/cdk';

function homeTemplate(config: Parameters<typeof buildTestApp>[0] = {}) {
  return Template.fromStack(buildTestApp(config).stacks.home);
}

describe('CordonHomeStack', () => {
  const template = homeTemplate({ notificationEmails: ['secops@example.com', 'oncall@example.com'] });

  describe('report topic', () => {
    it('is encrypted with a customer-managed key that rotates', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportsKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        Description: 'Cordon: encrypts the incident report topic',
        EnableKeyRotation: true,
      });
    });

    it('refuses publishing without TLS', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('has one e-mail subscription per configured address', () => {
      template.resourceCountIs('AWS::SNS::Subscription', 2);
      for (const address of ['secops@example.com', 'oncall@example.com']) {
        template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: address });
      }
    });

    it('has no subscription when no address is configured', () => {
      homeTemplate().resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('evidence bucket', () => {
    const evidenceBucket = () =>
      template.findResources('AWS::S3::Bucket', {
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }),
            ],
          },
        },
      });

    it('is versioned, SSE-KMS with a customer key, public access blocked, and retained', () => {
      const buckets = evidenceBucket();
      expect(Object.keys(buckets)).toHaveLength(1);
      const [bucket] = Object.values(buckets) as {
        Properties: Record<string, unknown>;
        DeletionPolicy: string;
        UpdateReplacePolicy: string;
      }[];
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.UpdateReplacePolicy).toBe('Retain');
      expect(bucket.Properties).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^EvidenceKey/), 'Arn'] },
              },
              BucketKeyEnabled: true,
            },
          ],
        },
      });
    });

    it('refuses requests without TLS', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: Match.stringLikeRegexp('^EvidenceBucket') },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });
  });

  describe('incidents table', () => {
    it('is on-demand, with point-in-time recovery and a TTL attribute, and retained', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          TimeToLiveSpecification: { AttributeName: INCIDENT_TTL_ATTRIBUTE, Enabled: true },
          SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
        }),
      });
    });
  });

  describe('responder', () => {
    it('runs on nodejs22.x, arm64, with source maps and the resource names in its environment', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: {
          Variables: Match.objectLike({
            NODE_OPTIONS: '--enable-source-maps',
            CORDON_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^ReportsTopic') },
            CORDON_EVIDENCE_BUCKET: { Ref: Match.stringLikeRegexp('^EvidenceBucket') },
            CORDON_INCIDENTS_TABLE: { Ref: Match.stringLikeRegexp('^EvidenceIncidents') },
            CORDON_CONFIG: Match.stringLikeRegexp('"homeRegion":"us-east-1"'),
          }),
        },
      });
    });

    it('has its own asynchronous retry settings and an on-failure destination', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        MaximumRetryAttempts: RESPONDER_ASYNC_RETRY_ATTEMPTS,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: {
          OnFailure: {
            Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResponderDeadLetterQueue'), 'Arn'] },
          },
        },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1209600,
      });
    });

    it('reserves no concurrency unless the config asks, then exactly that much', () => {
      const reserved = (t: Template) =>
        Object.values(t.findResources('AWS::Lambda::Function')).map(
          (f) =>
            (f as { Properties: { ReservedConcurrentExecutions?: number } }).Properties
              .ReservedConcurrentExecutions,
        );
      // The responder and the verifier; only the responder takes the configured reservation.
      expect(reserved(template)).toEqual([undefined, undefined]);
      expect(reserved(homeTemplate({ responderReservedConcurrency: 3 })).sort()).toEqual([3, undefined]);
    });
  });

  describe('sweeper', () => {
    const functionOf = (t: Template, name: string) =>
      Object.values(t.findResources('AWS::Lambda::Function')).find(
        (f) => (f as { Properties: { FunctionName?: string } }).Properties.FunctionName === name,
      ) as
        { Properties: { Timeout: number; Environment: { Variables: Record<string, unknown> } } } | undefined;

    it('runs for up to 15 minutes under its fixed name, which the responder is told and may invoke, as the sweeper itself may', () => {
      expect(functionOf(template, 'cordon-sweeper-us-east-1')?.Properties.Timeout).toBe(900);
      const told = Object.values(template.findResources('AWS::Lambda::Function')).map((f) =>
        JSON.stringify(
          (f as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties
            .Environment?.Variables?.CORDON_SWEEPER_FUNCTION ?? null,
        ),
      );
      expect(told.filter((value) => value.includes('function:cordon-sweeper-us-east-1'))).toHaveLength(1);
      const invokers = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
        JSON.stringify(policy).includes('"lambda:InvokeFunction"'),
      );
      expect(invokers).toHaveLength(2);
    });

    it('is granted LookupEvents and DescribeRegions, and every registered revert', () => {
      const text = JSON.stringify(template.findResources('AWS::IAM::Policy'));
      for (const action of [
        'cloudtrail:LookupEvents',
        'ec2:DescribeRegions',
        'ec2:StopInstances',
        'cloudtrail:StartLogging',
      ])
        expect(text).toContain(`"${action}"`);
    });

    it('is not started when sweep.enabled is off', () => {
      const off = homeTemplate({ sweep: { enabled: false } });
      expect(JSON.stringify(off.findResources('AWS::Lambda::Function'))).not.toContain(
        'CORDON_SWEEPER_FUNCTION',
      );
    });
  });

  describe('verifier', () => {
    it('runs from a verification queue that holds each round for its delay, with a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VerificationQueue'), 'Arn'] },
        FunctionName: { Ref: Match.stringLikeRegexp('^VerifierFunction') },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 720,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VerifierDeadLetterQueue'), 'Arn'] },
          maxReceiveCount: 3,
        },
      });
    });

    it('is scheduled by the responder, which may send to the queue', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            CORDON_VERIFY_QUEUE_URL: { Ref: Match.stringLikeRegexp('^VerificationQueue') },
          }),
        },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^ResponderRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: Match.arrayWith(['sqs:SendMessage']),
              Resource: Match.arrayWith([
                { 'Fn::GetAtt': [Match.stringLikeRegexp('^VerificationQueue'), 'Arn'] },
              ]),
            }),
          ]),
        },
      });
    });

    it('has a fixed role name that detection rules exclude and the planner protects', () => {
      template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'cordon-verifier-us-east-1' });
    });

    it('has a fixed role name that detection rules can exclude', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'cordon-responder-us-east-1',
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
        }),
      });
    });

    it('is granted no "*" action and no "*" resource it does not justify', () => {
      const policies = template.findResources('AWS::IAM::Policy');
      const statements = Object.values(policies).flatMap(
        (p) =>
          (
            p as {
              Properties: {
                PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
              };
            }
          ).Properties.PolicyDocument.Statement,
      );
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        const actions = ([] as string[]).concat(statement.Action);
        expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
        // Only the calls IAM allows on no narrower resource (ACCOUNT_WIDE_ACTIONS) may name "*".
        if (statement.Resource === '*') expect(actions.filter((a) => !isAccountWideAction(a))).toEqual([]);
      }
    });

    type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
    const statementsOf = (rolePrefix: string): Statement[] =>
      Object.values(template.findResources('AWS::IAM::Policy'))
        .map(
          (p) =>
            (
              p as {
                Properties: {
                  Roles: { Ref: string }[];
                  PolicyDocument: { Statement: Statement[] };
                };
              }
            ).Properties,
        )
        .filter((props) => props.Roles.some((role) => role.Ref.startsWith(rolePrefix)))
        .flatMap((props) => props.PolicyDocument.Statement);
    const actionsOf = (statements: Statement[], effect = 'Allow') =>
      statements.filter((s) => s.Effect === effect).flatMap((s) => ([] as string[]).concat(s.Action));

    it("grants the responder every registered action family, and the verifier only the IAM user's", () => {
      const responder = actionsOf(statementsOf('ResponderRole'));
      for (const action of [
        'iam:PutRolePolicy',
        'iam:GetRole',
        'iam:GetInstanceProfile',
        'ec2:ModifyNetworkInterfaceAttribute',
        'ec2:CreateSnapshot',
        'iam:PutUserPolicy',
      ]) {
        expect({ action, granted: responder.includes(action) }).toEqual({ action, granted: true });
      }
      const verifier = actionsOf(statementsOf('VerifierRole'));
      expect(verifier).toContain('iam:PutUserPolicy');
      expect(verifier.filter((a) => a.startsWith('ec2:') || a.includes('RolePolicy'))).toEqual([]);
    });

    it("denies both roles any policy or tag write on Cordon's own roles and the CDK bootstrap roles", () => {
      for (const role of ['ResponderRole', 'VerifierRole']) {
        const deny = statementsOf(role).find((s) => s.Effect === 'Deny');
        expect([...(deny?.Action ?? [])].sort()).toEqual([
          'iam:DeleteRolePolicy',
          'iam:PutRolePolicy',
          'iam:TagRole',
          'iam:UntagRole',
        ]);
        const resources = JSON.stringify(deny?.Resource);
        for (const name of [
          'role/cordon-responder-us-east-1',
          'role/cordon-verifier-us-east-1',
          'role/cdk-hnb659fds-deploy-role-',
        ]) {
          expect(resources).toContain(name);
        }
      }
    });
  });
});
