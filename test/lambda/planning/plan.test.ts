import { parseConfig } from '../../../lib/config/load';
import type { Detection } from '../../../lib/detections/types';
import { plan, type PlanInput } from '../../../lambda/planning/plan';
import type { Signal } from '../../../lambda/signal/signal';

const detection = (
  id: string,
  defaultResponse: Detection['defaultResponse'],
  severity: Detection['severity'] = 'high',
): Detection => ({
  id,
  title: id,
  severity,
  source: 'guardduty',
  defaultResponse,
  rationale: 'test',
  mitre: 'T1078.004',
  pattern: () => ({ source: ['aws.guardduty'] }),
});

const CREDENTIAL_FINDING = detection('guardduty-iam-user-credential-finding', 'contain');
const NOTIFY_ONLY = detection('iam-user-created', 'notify', 'medium');
const REVERT = detection('security-group-opened-to-world', 'revert');

const userSignal = (overrides: Partial<Signal> = {}): Signal => ({
  kind: 'signal',
  source: 'guardduty',
  eventId: 'evt-1',
  findingType: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
  severity: 8,
  time: '2026-11-29T09:00:00Z',
  region: 'us-east-1',
  accountId: '123456789012',
  principal: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::123456789012:user/alice' },
  accessKeyId: 'AKIAEXAMPLEALICE0001',
  credentialKind: 'long-term',
  ...overrides,
});

function input(overrides: Partial<PlanInput> = {}, config: Record<string, unknown> = {}): PlanInput {
  return {
    signal: userSignal(),
    detections: [CREDENTIAL_FINDING],
    config: parseConfig(config),
    recentContainments: 0,
    ...overrides,
  };
}

describe('plan', () => {
  it('contains the IAM user behind a long-term key, with the reason', () => {
    const result = plan(input());
    expect(result).toMatchObject({ response: 'contain', enforce: true, severity: 'high' });
    expect(result.actions).toEqual([
      { kind: 'contain-iam-user', userName: 'alice', reason: 'the credentials belong to this IAM user' },
    ]);
    expect(result.heldBack).toBeUndefined();
    expect(result.manualSteps.join('\n')).toContain('AD/LDAP');
  });

  it('contains the issuing user for a GetSessionToken session and for a federated user', () => {
    const session = plan(
      input({ signal: userSignal({ credentialKind: 'temporary', accessKeyId: 'ASIAEXAMPLEALICE0001' }) }),
    );
    expect(session.actions).toEqual([
      expect.objectContaining({ userName: 'alice', reason: expect.stringContaining('GetSessionToken') }),
    ]);
    const federated = plan(
      input({
        signal: userSignal({
          principal: {
            type: 'FederatedUser',
            userName: 'bob',
            arn: 'arn:aws:sts::123456789012:federated-user/bob',
          },
        }),
      }),
    );
    expect(federated.actions).toEqual([
      expect.objectContaining({ userName: 'bob', reason: expect.stringContaining('GetFederationToken') }),
    ]);
  });

  it('plans but does not enforce in dry-run, from the config or from --dry-run', () => {
    for (const result of [plan(input({}, { mode: 'dry-run' })), plan(input({ dryRun: true }))]) {
      expect(result).toMatchObject({ enforce: false, heldBack: { reason: 'dry-run' } });
      expect(result.actions).toHaveLength(1);
    }
  });

  it.each([
    ['a configured pattern', { protectedPrincipals: ['arn:aws:iam::123456789012:user/ali*'] }, userSignal()],
    [
      "Cordon's own role",
      {},
      userSignal({
        principal: {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::123456789012:assumed-role/cordon-responder-us-east-1/session',
          roleArn: 'arn:aws:iam::123456789012:role/cordon-responder-us-east-1',
        },
      }),
    ],
    [
      'a CDK bootstrap role',
      {},
      userSignal({
        principal: {
          type: 'AssumedRole',
          roleArn: 'arn:aws:iam::123456789012:role/cdk-hnb659fds-deploy-role-123456789012-us-east-1',
        },
      }),
    ],
    [
      'a service-linked role',
      {},
      userSignal({
        principal: {
          type: 'AssumedRole',
          roleArn:
            'arn:aws:iam::123456789012:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
        },
      }),
    ],
  ])('reports and never touches a protected principal: %s', (_name, config, signal) => {
    const result = plan(input({ signal }, config));
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'protected-principal' },
    });
    expect(result.heldBack?.message).toContain('is protected');
  });

  it('holds back findings below the severity threshold', () => {
    const result = plan(input({ signal: userSignal({ severity: 4 }) }, { guardDutySeverityThreshold: 5 }));
    expect(result).toMatchObject({ enforce: false, actions: [], heldBack: { reason: 'below-threshold' } });
  });

  it('never acts on GuardDuty sample findings', () => {
    expect(plan(input({ signal: userSignal({ sample: true }) })).heldBack?.reason).toBe('sample-finding');
  });

  it('opens the circuit breaker at the configured number of containments', () => {
    const config = { circuitBreaker: { maxContainments: 3, windowMinutes: 30 } };
    expect(plan(input({ recentContainments: 2 }, config)).enforce).toBe(true);
    const open = plan(input({ recentContainments: 3 }, config));
    expect(open).toMatchObject({ enforce: false, heldBack: { reason: 'circuit-breaker' } });
    expect(open.heldBack?.message).toContain('3 containments in the last 30 minutes');
  });

  it('gives root the manual steps, since no API can contain it', () => {
    const result = plan(
      input({ signal: userSignal({ principal: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } }) }),
    );
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'not-containable-by-api' },
    });
    expect(result.manualSteps.join('\n')).toMatch(/root password[\s\S]*MFA[\s\S]*AWS Support/);
  });

  it('only reports notify detections, and takes the strongest response and severity of several', () => {
    expect(plan(input({ detections: [NOTIFY_ONLY] }))).toMatchObject({
      response: 'notify',
      enforce: false,
      actions: [],
    });
    expect(plan(input({ detections: [NOTIFY_ONLY, CREDENTIAL_FINDING] }))).toMatchObject({
      response: 'contain',
      severity: 'high',
    });
    expect(plan(input({ detections: [REVERT] })).heldBack?.reason).toBe('not-yet-automated');
  });

  it('follows a per-detection override of the response', () => {
    const result = plan(
      input({}, { detections: { 'guardduty-iam-user-credential-finding': { response: 'notify' } } }),
    );
    expect(result).toMatchObject({ response: 'notify', enforce: false, actions: [] });
  });

  it('does not guess at principals it cannot contain yet', () => {
    const result = plan(
      input({
        signal: userSignal({
          principal: { type: 'AssumedRole', roleArn: 'arn:aws:iam::123456789012:role/app', roleName: 'app' },
        }),
      }),
    );
    expect(result).toMatchObject({ enforce: false, actions: [], heldBack: { reason: 'not-yet-automated' } });
  });
});

describe('plan, for a GuardDuty finding that names a user without an ARN', () => {
  it('derives the ARN from the account to check protection', () => {
    const signal = userSignal({ principal: { type: 'IAMUser', userName: 'break-glass' } });
    const result = plan(
      input({ signal }, { protectedPrincipals: ['arn:aws:iam::123456789012:user/break-glass'] }),
    );
    expect(result).toMatchObject({ enforce: false, heldBack: { reason: 'protected-principal' } });
  });
});
