import { parseConfig } from '../../../lambda/config/load';
import type { Detection } from '../../../lambda/detections/types';
import { plan, type PlanInput } from '../../../lambda/planning/plan';
import { ownDeploymentOf } from '../../../lambda/responder/own-deployment';
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

const CREDENTIAL_FINDING = detection('guardduty-iam-credential-finding', 'contain');
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

const ACCOUNT = '123456789012';

function input(overrides: Partial<PlanInput> = {}, config: Record<string, unknown> = {}): PlanInput {
  const parsed = parseConfig(config);
  return {
    signal: userSignal(),
    detections: [CREDENTIAL_FINDING],
    config: parsed,
    own: ownDeploymentOf(parsed, ACCOUNT),
    recentContainments: 0,
    ...overrides,
  };
}

const roleSession = (roleName: string, accountId = ACCOUNT, path = '/') =>
  userSignal({
    principal: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/session`,
      roleArn: `arn:aws:iam::${accountId}:role${path}${roleName}`,
      roleName,
      accountId,
    },
  });

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

  it('plans but does not enforce in dry-run, from the config or from --dry-run, and says so in the conditional', () => {
    for (const result of [plan(input({}, { mode: 'dry-run' })), plan(input({ dryRun: true }))]) {
      expect(result).toMatchObject({ enforce: false, heldBack: { reason: 'dry-run' } });
      expect(result.actions).toHaveLength(1);
      expect(result.heldBack?.message).toBe(
        'dry run: IAM user alice would be contained (the credentials belong to this IAM user); nothing was changed',
      );
      const steps = result.manualSteps.join('\n');
      // Nothing was deactivated: no step may speak as if it had been.
      expect(steps).not.toMatch(/the deactivated keys are kept|was contained/);
      expect(steps).toContain('would be kept as evidence');
      expect(steps).toContain('cordon contain user alice');
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
    [
      'the exact CDK bootstrap role of a custom qualifier',
      { cdkBootstrapQualifier: 'blue42' },
      roleSession(`cdk-blue42-cfn-exec-role-${ACCOUNT}-eu-west-1`),
    ],
    ["a forwarder's role", { regions: ['eu-west-1'] }, roleSession('cordon-forwarder-eu-west-1')],
    [
      'a service-linked role, by its path',
      {},
      roleSession('AnyName', ACCOUNT, '/aws-service-role/ec2.amazonaws.com/'),
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
    expect(open).toMatchObject({
      enforce: false,
      severity: 'critical',
      heldBack: { reason: 'circuit-breaker' },
    });
    expect(open.heldBack?.message).toContain('3 containments in the last 30 minutes');
    expect(open.heldBack?.message).toMatch(/^IAM user alice is NOT contained: the circuit breaker is open/);
    expect(open.manualSteps[0]).toContain('Decide now');
    expect(open.manualSteps.join('\n')).toContain('contain it at once: `cordon contain user alice`');
    expect(open.manualSteps.join('\n')).not.toContain('the deactivated keys are kept');
  });

  it('ignores the circuit breaker for a manual containment, an operator decision', () => {
    const manual = userSignal({ source: 'manual' });
    const result = plan(input({ signal: manual, detections: [], recentContainments: 99 }));
    expect(result).toMatchObject({
      enforce: true,
      actions: [expect.objectContaining({ userName: 'alice' })],
    });
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
      input({}, { detections: { 'guardduty-iam-credential-finding': { response: 'notify' } } }),
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

describe('plan, on look-alikes of the built-in protections', () => {
  // These are the names an attacker would pick to escape containment; only exact names are protected.
  it.each([
    ['cordon-backdoor', roleSession('cordon-backdoor')],
    [
      'cordon-responder-us-east-1 on another path',
      roleSession('cordon-responder-us-east-1', ACCOUNT, '/tools/'),
    ],
    [
      'cordon-responder-us-east-1 of another account',
      roleSession('cordon-responder-us-east-1', '999999999999'),
    ],
    ['cordon-forwarder of a region without a forwarder', roleSession('cordon-forwarder-eu-west-3')],
    ['cdk-anything', roleSession('cdk-anything')],
    ['a CDK role of another qualifier', roleSession(`cdk-evil12345-deploy-role-${ACCOUNT}-us-east-1`)],
    ['a CDK role name of another account', roleSession('cdk-hnb659fds-deploy-role-999999999999-us-east-1')],
    ['AWSServiceRoleForX on the default path', roleSession('AWSServiceRoleForBackdoor')],
  ])('does not protect %s', (_name, signal) => {
    const result = plan(input({ signal }));
    expect(result.heldBack?.reason).not.toBe('protected-principal');
  });
});

describe('plan, for a principal of another account', () => {
  it('holds back: a user of another account cannot be contained here, whatever its name', () => {
    const signal = userSignal({
      principal: {
        type: 'IAMUser',
        userName: 'alice',
        arn: 'arn:aws:iam::999999999999:user/alice',
        accountId: '999999999999',
      },
    });
    const result = plan(input({ signal }));
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'other-account-principal' },
    });
    expect(result.heldBack?.message).toContain('999999999999');
  });
});

describe('plan, for a GuardDuty finding that names a user without its ARN (no path)', () => {
  const finding = userSignal({ principal: { type: 'IAMUser', userName: 'breakglass' } });
  const config = { protectedPrincipals: ['arn:aws:iam::123456789012:user/ops/breakglass'] };

  it('decides on the real ARN once it was read: a protected path user is held back', () => {
    const result = plan(
      input({ signal: finding, facts: { userArn: 'arn:aws:iam::123456789012:user/ops/breakglass' } }, config),
    );
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'protected-principal' },
    });
  });

  it('contains when the real ARN is read and no pattern matches it', () => {
    const result = plan(
      input({ signal: finding, facts: { userArn: 'arn:aws:iam::123456789012:user/dev/breakglass' } }, config),
    );
    expect(result.enforce).toBe(true);
  });

  it('holds back when a user pattern could match and the ARN could not be read', () => {
    const result = plan(
      input({ signal: finding, facts: { userLookupError: 'iam:GetUser failed: Throttling' } }, config),
    );
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'protection-undecided' },
    });
    expect(result.heldBack?.message).toContain('NOT contained');
    expect(result.heldBack?.message).toContain('Throttling');
    expect(result.manualSteps.join('\n')).toContain('cordon contain user breakglass');
  });

  it('needs no look-up when no configured pattern could name a user', () => {
    const result = plan(
      input({ signal: finding }, { protectedPrincipals: ['arn:aws:iam::123456789012:role/Admin'] }),
    );
    expect(result.enforce).toBe(true);
  });
});
