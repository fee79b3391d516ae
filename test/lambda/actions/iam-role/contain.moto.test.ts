/**
 * Revocation of a role's sessions against moto (a real AWS emulator), on the server the jest
 * global setup started: the documents IAM ends up holding, exactly, and every outcome. Whether the
 * revocation refuses a session is enforcement.moto.test.ts.
 */
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { revokeRoleSessions } from '../../../../lambda/actions/iam-role';
import { sharedMotoUrl, uniqueName } from '../../../support/moto';
import {
  ADMINISTRATOR_ACCESS,
  isWrite,
  motoIam,
  readRoleState,
  recordCommands,
  S3_READ,
  stageRole,
} from './support/moto-role';

const NOW = new Date('2024-05-06T07:08:09.000Z');

/** The console's document, written out here rather than built by the code under test. */
const revokedBefore = (instant: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Action: ['*'],
      Resource: ['*'],
      Condition: { DateLessThan: { 'aws:TokenIssueTime': instant } },
    },
  ],
});
const DENY_ALL = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'CordonDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
};

describe('IAM role session revocation on moto', () => {
  let iam: IAMClient;
  beforeAll(() => {
    iam = motoIam(sharedMotoUrl());
  });

  it('puts exactly the console revocation with the instant, tags the role, touches nothing else', async () => {
    const { roleName, roleArn } = await stageRole(iam);
    const incidentId = uniqueName('inc');

    const result = await revokeRoleSessions({
      iam,
      roleName,
      incidentId,
      now: NOW,
      attackSeenAt: '2024-05-06T07:00:00Z',
    });

    expect(await readRoleState(iam, roleName)).toEqual({
      arn: roleArn,
      inlinePolicies: {
        AWSRevokeOlderSessions: revokedBefore('2024-05-06T07:08:09Z'),
        's3-read': JSON.parse(S3_READ),
      },
      attachedPolicies: [ADMINISTRATOR_ACCESS],
      tags: {
        'cordon:contained-at': '2024-05-06T07:08:09.000Z',
        'cordon:incident': incidentId,
        team: 'payments',
      },
    });
    // Byte for byte the console's document, the instant to the second in UTC.
    const { PolicyDocument } = await iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'AWSRevokeOlderSessions' }),
    );
    expect(decodeURIComponent(PolicyDocument!)).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],"Resource":["*"],' +
        '"Condition":{"DateLessThan":{"aws:TokenIssueTime":"2024-05-06T07:08:09Z"}}}]}',
    );
    expect(result).toMatchObject({
      kind: 'cordon/iam-role-containment',
      schemaVersion: 1,
      incidentId,
      dryRun: false,
      startedAt: '2024-05-06T07:08:09.000Z',
      subject: `IAM role ${roleName}`,
      roleName,
      roleArn,
      revokedBefore: '2024-05-06T07:08:09Z',
      effective: true,
      failures: 0,
    });
    expect(result.outcomes).toEqual([
      {
        action: 'revoke-older-sessions',
        target: `role/${roleName}`,
        status: 'done',
        detail:
          'inline policy AWSRevokeOlderSessions put: every session of the role issued before 2024-05-06T07:08:09Z is denied every action',
        before: { document: null, known: true },
      },
      {
        action: 'tag-role',
        target: `role/${roleName}`,
        status: 'done',
        detail: `tagged cordon:incident=${incidentId}, cordon:contained-at=2024-05-06T07:08:09.000Z`,
        before: { 'cordon:incident': null, 'cordon:contained-at': null },
      },
    ]);
    expect(result.before).toEqual({
      role: { ok: true, value: expect.objectContaining({ arn: roleArn, path: '/' }) },
      revokeOlderSessionsPolicy: { ok: true, value: null },
      denyAllPolicy: null,
      tags: { ok: true, value: [{ key: 'team', value: 'payments' }] },
    });
    expect(result.manualSteps).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Every current user of role ${roleName} is affected: every session issued before 2024-05-06T07:08:09Z, the legitimate ones too,.*AccessDenied until its credentials are refreshed\\.$`,
        ),
      ),
      expect.stringMatching(new RegExp(`^Find out how the attacker obtained a session of role ${roleName} `)),
    ]);
    // Plain JSON: the record survives a round trip through a store.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('a second run with the attack seen at or before the instant in force is already done and writes nothing', async () => {
    const { roleName } = await stageRole(iam);
    const incidentId = uniqueName('inc');
    await revokeRoleSessions({ iam, roleName, incidentId, now: NOW, attackSeenAt: '2024-05-06T07:00:00Z' });
    const contained = await readRoleState(iam, roleName);
    const recording = motoIam(sharedMotoUrl());
    const sent = recordCommands(recording);

    const second = await revokeRoleSessions({
      iam: recording,
      roleName,
      incidentId,
      now: new Date('2024-05-06T09:00:00.000Z'),
      attackSeenAt: '2024-05-06T07:08:09Z',
    });

    expect(sent.filter(isWrite)).toEqual([]);
    expect(await readRoleState(iam, roleName)).toEqual(contained);
    expect(second.outcomes.map((o) => [o.action, o.status, o.detail])).toEqual([
      [
        'revoke-older-sessions',
        'already-done',
        'inline policy AWSRevokeOlderSessions already denies every session issued before 2024-05-06T07:08:09Z, not earlier than the attack was seen (2024-05-06T07:08:09Z): nothing written',
      ],
      ['tag-role', 'already-done', `already tagged cordon:incident=${incidentId}`],
    ]);
    expect(second).toMatchObject({ effective: true, failures: 0, revokedBefore: '2024-05-06T07:08:09Z' });
  });

  it('an attack seen after the instant in force puts the revocation again, with the new instant rounded up to the second', async () => {
    const { roleName } = await stageRole(iam);
    const incidentId = uniqueName('inc');
    await revokeRoleSessions({ iam, roleName, incidentId, now: NOW, attackSeenAt: '2024-05-06T07:00:00Z' });

    const later = await revokeRoleSessions({
      iam,
      roleName,
      incidentId: uniqueName('inc'),
      now: new Date('2024-05-06T09:00:00.250Z'),
      attackSeenAt: '2024-05-06T08:59:00Z',
    });

    expect((await readRoleState(iam, roleName)).inlinePolicies.AWSRevokeOlderSessions).toEqual(
      revokedBefore('2024-05-06T09:00:01Z'),
    );
    expect(later.outcomes[0]).toEqual({
      action: 'revoke-older-sessions',
      target: `role/${roleName}`,
      status: 'done',
      detail:
        'inline policy AWSRevokeOlderSessions put (it revoked the sessions issued before 2024-05-06T07:08:09Z only): every session of the role issued before 2024-05-06T09:00:01Z is denied every action',
      before: { document: JSON.stringify(revokedBefore('2024-05-06T07:08:09Z')), known: true },
    });
    expect(later).toMatchObject({ effective: true, revokedBefore: '2024-05-06T09:00:01Z' });
  });

  it('with denyAll, also puts the deny-all on the role; a second run finds it in place', async () => {
    const { roleName } = await stageRole(iam);
    const incidentId = uniqueName('inc');

    const result = await revokeRoleSessions({ iam, roleName, incidentId, now: NOW, denyAll: true });

    expect((await readRoleState(iam, roleName)).inlinePolicies).toEqual({
      AWSRevokeOlderSessions: revokedBefore('2024-05-06T07:08:09Z'),
      'cordon-deny-all': DENY_ALL,
      's3-read': JSON.parse(S3_READ),
    });
    expect(result.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['revoke-older-sessions', 'done'],
      ['deny-all-role', 'done'],
      ['tag-role', 'done'],
    ]);
    expect(result.before.denyAllPolicy).toEqual({ ok: true, value: null });
    expect(result.manualSteps).toContainEqual(
      `Role ${roleName} denies every action to every session, new ones included (inline policy cordon-deny-all), until restore: every workload that uses it is cut off until then.`,
    );

    const again = await revokeRoleSessions({ iam, roleName, incidentId, now: NOW, denyAll: true });
    expect(again.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['revoke-older-sessions', 'already-done'],
      ['deny-all-role', 'already-done'],
      ['tag-role', 'already-done'],
    ]);
  });

  it('a deleted role is a failed containment with a clear detail, and nothing is written', async () => {
    const { roleName } = await stageRole(iam);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: 's3-read' }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: ADMINISTRATOR_ACCESS }));
    await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
    const recording = motoIam(sharedMotoUrl());
    const sent = recordCommands(recording);

    const result = await revokeRoleSessions({
      iam: recording,
      roleName,
      incidentId: uniqueName('inc'),
      now: NOW,
      denyAll: true,
    });

    expect(sent.filter(isWrite)).toEqual([]);
    expect(result).toMatchObject({ effective: false, failures: 3, roleArn: null, revokedBefore: null });
    expect(result.outcomes.map((o) => [o.action, o.status, o.detail, o.error?.name])).toEqual([
      [
        'revoke-older-sessions',
        'failed',
        `role ${roleName} no longer exists (deleted?): its sessions cannot be revoked; find out in CloudTrail who deleted it (DeleteRole) and whether a role of that name was created again`,
        'NoSuchEntityException',
      ],
      [
        'deny-all-role',
        'failed',
        `role ${roleName} no longer exists (deleted?): no deny-all was put`,
        'NoSuchEntityException',
      ],
      [
        'tag-role',
        'failed',
        `role ${roleName} no longer exists (deleted?): not tagged`,
        'NoSuchEntityException',
      ],
    ]);
    expect(result.manualSteps).toEqual([
      expect.stringMatching(new RegExp(`^Role ${roleName} no longer exists: `)),
    ]);
  });

  it('a dry run reads and plans, and changes nothing', async () => {
    const { roleName } = await stageRole(iam);
    const before = await readRoleState(iam, roleName);
    const recording = motoIam(sharedMotoUrl());
    const sent = recordCommands(recording);

    const result = await revokeRoleSessions({
      iam: recording,
      roleName,
      incidentId: uniqueName('inc'),
      now: NOW,
      dryRun: true,
      denyAll: true,
    });

    expect(sent.filter(isWrite)).toEqual([]);
    expect(await readRoleState(iam, roleName)).toEqual(before);
    expect(before.inlinePolicies).toEqual({ 's3-read': JSON.parse(S3_READ) });
    expect(result).toMatchObject({ dryRun: true, effective: false, failures: 0, revokedBefore: null });
    expect(result.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['revoke-older-sessions', 'planned'],
      ['deny-all-role', 'planned'],
      ['tag-role', 'planned'],
    ]);
    expect(result.outcomes[0].detail).toBe(
      'would put inline policy AWSRevokeOlderSessions: every session of the role issued before 2024-05-06T07:08:09Z is denied every action',
    );
  });
});
