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
    expect(plan(input({ detections: [REVERT] })).heldBack?.reason).toBe('nothing-to-revert');
  });

  it('follows a per-detection override of the response', () => {
    const result = plan(
      input({}, { detections: { 'guardduty-iam-credential-finding': { response: 'notify' } } }),
    );
    expect(result).toMatchObject({ response: 'notify', enforce: false, actions: [] });
  });

  it('does not guess at principals it cannot contain: an AWS account principal is reported only', () => {
    const result = plan(
      input({ signal: userSignal({ principal: { type: 'AWSAccount', principalId: 'AIDAEXAMPLE' } }) }),
    );
    expect(result).toMatchObject({ enforce: false, actions: [], heldBack: { reason: 'not-yet-automated' } });
  });
});

const EXFILTRATION = detection('guardduty-instance-credential-exfiltration', 'contain', 'critical');
const CRYPTOMINING = detection('guardduty-ec2-cryptomining-or-backdoor', 'contain');

const exfiltration = (overrides: Partial<Signal> = {}): Signal =>
  userSignal({
    findingType: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    principal: {
      type: 'AssumedRole',
      rawType: 'AssumedRole',
      roleName: 'web-app',
      sessionName: 'i-0a1b2c3d4e5f60718',
      principalId: 'AROA5Q3KVBFTWEBAPP12:i-0a1b2c3d4e5f60718',
    },
    accessKeyId: 'ASIA5Q3KVBFTINSTANCE',
    credentialKind: 'temporary',
    instanceId: 'i-0a1b2c3d4e5f60718',
    ...overrides,
  });

const instanceFinding = (overrides: Partial<Signal> = {}): Signal =>
  userSignal({
    findingType: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    principal: { type: 'Unknown' },
    accessKeyId: undefined,
    credentialKind: 'unknown',
    instanceId: 'i-0a1b2c3d4e5f60718',
    instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/web-app',
    region: 'eu-west-1',
    ...overrides,
  });

const WEB_APP_ROLE = 'arn:aws:iam::123456789012:role/web-app';

describe('plan, for each principal', () => {
  it('revokes the older sessions of a role whose session is compromised, saying every user of the role is affected', () => {
    const result = plan(input({ signal: roleSession('app') }));
    expect(result).toMatchObject({ enforce: true, response: 'contain' });
    expect(result.actions).toEqual([
      {
        kind: 'revoke-role-sessions',
        roleName: 'app',
        roleArn: 'arn:aws:iam::123456789012:role/app',
        denyAll: false,
        reason:
          'a session of the role is compromised (AKIAEXAMPLEALICE0001): every session issued before now is revoked, which affects every current user of the role',
      },
    ]);
    // Who is affected is the role family's step (with the instant in force), not said twice.
    expect(result.manualSteps).toEqual([
      '`cordon restore <incident>` removes the revocation once the investigation ends.',
    ]);
  });

  it('denies everything to the role too when roleContainment.denyAll says so', () => {
    const result = plan(input({ signal: roleSession('app') }, { roleContainment: { denyAll: true } }));
    expect(result.actions).toMatchObject([{ kind: 'revoke-role-sessions', denyAll: true }]);
    expect(result.manualSteps.join('\n')).toContain('no new session works either');
  });

  it("contains a role whose name merely starts like Cordon's own or a CDK role", () => {
    for (const name of [
      'cordon-responder-us-east-1-backdoor',
      'cordon-verifier',
      'cdk-hnb659fds-deploy-role-123456789012',
      'cdk-x',
    ]) {
      const result = plan(input({ signal: roleSession(name) }));
      expect({ name, kind: result.actions[0]?.kind, enforce: result.enforce }).toEqual({
        name,
        kind: 'revoke-role-sessions',
        enforce: true,
      });
    }
  });

  it('revokes the instance role and isolates the instance on stolen instance credentials', () => {
    const result = plan(
      input({ signal: exfiltration(), detections: [EXFILTRATION], facts: { roleArn: WEB_APP_ROLE } }),
    );
    expect(result.enforce).toBe(true);
    expect(result.actions).toEqual([
      expect.objectContaining({ kind: 'revoke-role-sessions', roleName: 'web-app', roleArn: WEB_APP_ROLE }),
      {
        kind: 'isolate-ec2-instance',
        instanceId: 'i-0a1b2c3d4e5f60718',
        region: 'us-east-1',
        stop: false,
        reason:
          "its role's credentials were taken from it (UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS)",
      },
    ]);
  });

  it('still revokes the role when the exfiltration finding names no instance, and says what a human must do', () => {
    const result = plan(
      input({
        signal: exfiltration({
          instanceId: undefined,
          principal: { type: 'AssumedRole', roleName: 'web-app', sessionName: 'botocore-session-1' },
        }),
        detections: [EXFILTRATION],
        facts: { roleArn: WEB_APP_ROLE },
      }),
    );
    expect(result.actions.map((a) => a.kind)).toEqual(['revoke-role-sessions']);
    expect(result.reasons.join('\n')).toContain('the finding names no instance');
    expect(result.manualSteps.join('\n')).toContain('Find the instance that holds role web-app');
  });

  it('holds back, NOT contained, when the GuardDuty role cannot be looked up (protection undecided)', () => {
    const result = plan(
      input({
        signal: exfiltration(),
        detections: [EXFILTRATION],
        facts: { roleLookupError: 'iam:GetRole web-app failed: Throttling: Rate exceeded' },
      }),
    );
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'protection-undecided' },
    });
    expect(result.heldBack?.message).toContain('Rate exceeded');
  });

  it("protects Cordon's own role named by a GuardDuty finding, once GetRole gave its path", () => {
    const own = 'arn:aws:iam::123456789012:role/cordon-responder-us-east-1';
    const result = plan(
      input({
        signal: exfiltration({
          principal: { type: 'AssumedRole', roleName: 'cordon-responder-us-east-1', sessionName: 'x' },
        }),
        detections: [EXFILTRATION],
        facts: { roleArn: own },
      }),
    );
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'protected-principal' },
    });
  });

  it('reports a deleted role (a stale finding) as unresolved, with nothing changed', () => {
    const result = plan(
      input({
        signal: exfiltration(),
        detections: [EXFILTRATION],
        facts: { roleMissing: true, roleLookupError: 'iam:GetRole web-app failed: NoSuchEntity: not found' },
      }),
    );
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'principal-unresolved' },
    });
    expect(result.heldBack?.message).toContain('IAM role web-app no longer exists');
  });

  it('holds back a session whose role the finding does not name', () => {
    const result = plan(
      input({
        signal: exfiltration({
          principal: { type: 'AssumedRole', principalId: 'AROA5Q3KVBFTWEBAPP12:i-0a1b2c3d4e5f60718' },
        }),
        detections: [EXFILTRATION],
      }),
    );
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'principal-unresolved' },
    });
    expect(result.heldBack?.message).toContain('but not its role');
  });

  it('isolates an instance on a crypto-mining finding, without revoking its role unless asked', () => {
    const result = plan(input({ signal: instanceFinding(), detections: [CRYPTOMINING] }));
    expect(result.enforce).toBe(true);
    expect(result.actions).toEqual([
      {
        kind: 'isolate-ec2-instance',
        instanceId: 'i-0a1b2c3d4e5f60718',
        region: 'eu-west-1',
        stop: false,
        reason: 'GuardDuty CryptoCurrency:EC2/BitcoinTool.B!DNS: the workload is compromised',
      },
    ]);
  });

  it('stops the instance and revokes its role sessions when instanceIsolation says so', () => {
    const result = plan(
      input(
        {
          signal: instanceFinding(),
          detections: [CRYPTOMINING],
          facts: { instanceRole: { name: 'web-app', arn: WEB_APP_ROLE } },
        },
        { instanceIsolation: { stopInstance: true, revokeRoleSessions: true } },
      ),
    );
    expect(result.actions).toEqual([
      expect.objectContaining({ kind: 'isolate-ec2-instance', stop: true }),
      expect.objectContaining({ kind: 'revoke-role-sessions', roleName: 'web-app', roleArn: WEB_APP_ROLE }),
    ]);
  });

  it('isolates but says so when the instance role could not be read', () => {
    const result = plan(
      input(
        {
          signal: instanceFinding(),
          detections: [CRYPTOMINING],
          facts: { instanceRoleLookupError: 'iam:GetInstanceProfile web-app failed: NoSuchEntity: x' },
        },
        { instanceIsolation: { revokeRoleSessions: true } },
      ),
    );
    expect(result.actions.map((a) => a.kind)).toEqual(['isolate-ec2-instance']);
    expect(result.reasons.join('\n')).toContain('could not be read (iam:GetInstanceProfile web-app failed');
  });

  it('plans the isolation in the conditional on a dry run, and holds it behind the circuit breaker', () => {
    const dry = plan(input({ signal: instanceFinding(), detections: [CRYPTOMINING], dryRun: true }));
    expect(dry).toMatchObject({ enforce: false, heldBack: { reason: 'dry-run' } });
    expect(dry.heldBack?.message).toBe(
      'dry run: EC2 instance i-0a1b2c3d4e5f60718 (eu-west-1) would be contained (GuardDuty CryptoCurrency:EC2/BitcoinTool.B!DNS: the workload is compromised); nothing was changed',
    );
    expect(dry.manualSteps[0]).toMatch(/^Decide now whether i-0a1b2c3d4e5f60718/);
    const breaker = plan(
      input({ signal: instanceFinding(), detections: [CRYPTOMINING], recentContainments: 10 }),
    );
    expect(breaker).toMatchObject({
      enforce: false,
      severity: 'critical',
      heldBack: { reason: 'circuit-breaker' },
    });
    expect(breaker.heldBack?.message).toMatch(
      /^EC2 instance i-0a1b2c3d4e5f60718 \(eu-west-1\) is NOT contained: the circuit breaker is open/,
    );
  });

  it('notifies, changing nothing, for an Identity Center role, with the Identity Center steps', () => {
    const result = plan(
      input({
        signal: userSignal({
          principal: {
            type: 'IdentityCenterUser',
            roleName: 'AWSReservedSSO_Admin_0123456789abcdef',
            sessionName: 'jane@example.com',
          },
        }),
      }),
    );
    expect(result).toMatchObject({ enforce: false, actions: [], heldBack: { reason: 'not-editable-role' } });
    expect(result.manualSteps[0]).toContain('remove its permission set assignment');
    expect(result.manualSteps[1]).toContain('Revoke');
  });

  it('notifies for a service-linked role, with the manual step', () => {
    const result = plan(
      input({ signal: roleSession('AWSServiceRoleForECS', ACCOUNT, '/aws-service-role/ecs.amazonaws.com/') }),
    );
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'protected-principal' },
    });
    expect(result.manualSteps[0]).toContain('is a service-linked role: AWS owns its policies');
  });

  it('contains the IAM user behind a federation token and behind a GetSessionToken session', () => {
    const federated = plan(
      input({
        signal: userSignal({
          principal: { type: 'FederatedUser', userName: 'alice' },
          credentialKind: 'temporary',
        }),
      }),
    );
    expect(federated.actions).toMatchObject([{ kind: 'contain-iam-user', userName: 'alice' }]);
    const session = plan(
      input({ signal: userSignal({ credentialKind: 'temporary', accessKeyId: 'ASIAEXAMPLEALICE0001' }) }),
    );
    expect(session.actions).toMatchObject([
      {
        kind: 'contain-iam-user',
        userName: 'alice',
        reason: 'a session from GetSessionToken carries the permissions of its IAM user',
      },
    ]);
  });

  it('notifies for root on the new model, nothing changed', () => {
    const result = plan(
      input({ signal: userSignal({ principal: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } }) }),
    );
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'not-containable-by-api' },
    });
  });
});

const INGRESS_CHANGE = {
  revert: 'revoke-ingress-rules',
  region: 'us-east-1',
  target: 'security-group/sg-0abc',
  eventId: '1f3e0c1e-0000-4000-a000-000000000001',
  eventName: 'AuthorizeSecurityGroupIngress',
  eventTime: '2026-11-29T09:00:00Z',
  details: { groupId: 'sg-0abc', ruleIds: ['sgr-0abc'] },
};

describe('plan, for a revert detection', () => {
  const revertInput = (overrides: Partial<PlanInput> = {}, config: Record<string, unknown> = {}) =>
    input({ detections: [REVERT], changes: [INGRESS_CHANGE], ...overrides }, config);

  it('reverts exactly the changes of the event, and names the principal that made it without containing it', () => {
    const result = plan(revertInput());
    expect(result).toMatchObject({ response: 'revert', enforce: true });
    expect(result.actions).toEqual([
      expect.objectContaining({ kind: 'revert-change', change: INGRESS_CHANGE, terminateInstances: false }),
    ]);
    expect(result.reasons.join('\n')).toContain('reverts.containActor is off');
    expect(result.manualSteps.join('\n')).toContain('cordon contain user alice');
  });

  it('contains the principal too with reverts.containActor', () => {
    const result = plan(revertInput({}, { reverts: { containActor: true } }));
    expect(result.actions.map((a) => a.kind)).toEqual(['revert-change', 'contain-iam-user']);
    expect(result.enforce).toBe(true);
  });

  it('plans the revert on a dry run and changes nothing', () => {
    const result = plan(revertInput({ dryRun: true }));
    expect(result).toMatchObject({ enforce: false, heldBack: { reason: 'dry-run' } });
    expect(result.actions.map((a) => a.kind)).toEqual(['revert-change']);
  });

  it('reports, and does not revert, a change made by a protected principal', () => {
    const result = plan(revertInput({}, { protectedPrincipals: ['arn:aws:iam::123456789012:user/alice'] }));
    expect(result).toMatchObject({
      enforce: false,
      actions: [],
      heldBack: { reason: 'protected-principal' },
    });
  });

  it('holds back with the reason when the event holds no change a reverter reads', () => {
    const result = plan(revertInput({ changes: [] }));
    expect(result).toMatchObject({ enforce: false, actions: [], heldBack: { reason: 'nothing-to-revert' } });
    expect(result.manualSteps.join('\n')).toContain('by hand');
  });

  it('reverts beside a containment when another detection asks to contain', () => {
    const result = plan(input({ detections: [CREDENTIAL_FINDING, REVERT], changes: [INGRESS_CHANGE] }));
    expect(result.response).toBe('contain');
    expect(result.actions.map((a) => a.kind)).toEqual(['contain-iam-user', 'revert-change']);
  });

  it('reverts a change root made and still gives the root steps', () => {
    const result = plan(
      revertInput({
        signal: userSignal({ principal: { type: 'Root', arn: 'arn:aws:iam::123456789012:root' } }),
      }),
    );
    expect(result.actions.map((a) => a.kind)).toEqual(['revert-change']);
    expect(result.manualSteps.join('\n')).toContain('AWS Support');
  });
});
