/**
 * Restore of a role's containment against moto, on the server the jest global setup started:
 * the role's inline policies and tags end exactly as they were, a console revocation that was
 * there before comes back, and a revocation made after containment is left alone.
 */
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { restoreIamRole, revokeRoleSessions } from '../../../../lambda/actions/iam-role';
import { sharedMotoUrl, uniqueName } from '../../../support/moto';
import {
  ADMINISTRATOR_ACCESS,
  isWrite,
  motoIam,
  readRoleState,
  recordCommands,
  stageRole,
} from './support/moto-role';

const NOW = new Date('2024-05-06T07:08:09.000Z');

/** A console-style revocation; the instant here has milliseconds, to show the document comes back verbatim. */
const consoleRevocation = (instant: string) =>
  JSON.stringify({
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

describe('IAM role restore on moto', () => {
  let iam: IAMClient;
  beforeAll(() => {
    iam = motoIam(sharedMotoUrl());
  });

  it("removes the revocation, the deny-all and Cordon's tags: the role is exactly as before; a second restore changes nothing", async () => {
    const { roleName } = await stageRole(iam);
    const before = await readRoleState(iam, roleName);
    const record = await revokeRoleSessions({
      iam,
      roleName,
      incidentId: uniqueName('inc'),
      now: NOW,
      denyAll: true,
    });
    expect(Object.keys((await readRoleState(iam, roleName)).inlinePolicies)).toHaveLength(3);

    const undone = await restoreIamRole({ iam, record });

    expect(await readRoleState(iam, roleName)).toEqual(before);
    expect(undone).toMatchObject({
      kind: 'cordon/iam-role-restore',
      incidentId: record.incidentId,
      roleName,
      subject: `IAM role ${roleName}`,
      dryRun: false,
      complete: true,
      manualSteps: [],
    });
    expect(undone.outcomes.map((o) => [o.action, o.target, o.status, o.detail])).toEqual([
      [
        'restore-older-sessions-policy',
        `role/${roleName}`,
        'done',
        'delete inline policy AWSRevokeOlderSessions (the role had none before containment): done',
      ],
      [
        'lift-deny-all-role',
        `role/${roleName}`,
        'done',
        'delete inline policy cordon-deny-all (the role had none before containment): done',
      ],
      [
        'restore-role-tags',
        `role/${roleName}`,
        'done',
        'remove cordon:incident, remove cordon:contained-at: done',
      ],
    ]);

    const recording = motoIam(sharedMotoUrl());
    const sent = recordCommands(recording);
    const again = await restoreIamRole({ iam: recording, record });
    expect(sent.filter(isWrite)).toEqual([]);
    expect(again.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['restore-older-sessions-policy', 'already-done'],
      ['lift-deny-all-role', 'already-done'],
      ['restore-role-tags', 'already-done'],
    ]);
    expect(await readRoleState(iam, roleName)).toEqual(before);
  });

  it('puts back the revocation an earlier console "Revoke active sessions" had made', async () => {
    const { roleName } = await stageRole(iam);
    const earlier = consoleRevocation('2024-05-01T10:11:12.345Z');
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: earlier,
      }),
    );
    const before = await readRoleState(iam, roleName);
    const record = await revokeRoleSessions({
      iam,
      roleName,
      incidentId: uniqueName('inc'),
      now: NOW,
      attackSeenAt: '2024-05-06T07:00:00Z',
    });
    expect(record.outcomes[0]).toMatchObject({ status: 'done', before: { document: earlier, known: true } });

    const undone = await restoreIamRole({ iam, record });

    expect(await readRoleState(iam, roleName)).toEqual(before);
    expect(before.inlinePolicies.AWSRevokeOlderSessions).toEqual(JSON.parse(earlier));
    expect(undone.outcomes[0]).toMatchObject({
      action: 'restore-older-sessions-policy',
      status: 'done',
      detail: 'put back the document inline policy AWSRevokeOlderSessions had before containment: done',
    });
  });

  it('leaves a revocation made after containment (here by the console) in place, and says so', async () => {
    const { roleName } = await stageRole(iam);
    const record = await revokeRoleSessions({ iam, roleName, incidentId: uniqueName('inc'), now: NOW });
    const later = consoleRevocation('2024-05-07T00:00:00.000Z');
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: later,
      }),
    );

    const undone = await restoreIamRole({ iam, record });

    const after = await readRoleState(iam, roleName);
    expect(after.inlinePolicies.AWSRevokeOlderSessions).toEqual(JSON.parse(later));
    expect(after.tags).toEqual({ team: 'payments' });
    expect(undone.outcomes.map((o) => [o.action, o.status, o.detail])).toEqual([
      [
        'restore-older-sessions-policy',
        'already-done',
        'inline policy AWSRevokeOlderSessions changed since containment (a later change, by the console or another incident?: it now revokes the sessions issued before 2024-05-07T00:00:00.000Z): left as it is',
      ],
      ['restore-role-tags', 'done', 'remove cordon:incident, remove cordon:contained-at: done'],
    ]);
    expect(undone.complete).toBe(true);
  });

  it('a role deleted since containment has nothing to restore', async () => {
    const { roleName } = await stageRole(iam);
    const record = await revokeRoleSessions({ iam, roleName, incidentId: uniqueName('inc'), now: NOW });
    for (const policyName of ['s3-read', 'AWSRevokeOlderSessions']) {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
    }
    await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: ADMINISTRATOR_ACCESS }));
    await iam.send(new DeleteRoleCommand({ RoleName: roleName }));

    const undone = await restoreIamRole({ iam, record });

    expect(undone.complete).toBe(true);
    expect(undone.outcomes.map((o) => [o.action, o.status, o.detail])).toEqual([
      [
        'restore-older-sessions-policy',
        'already-done',
        `role ${roleName} no longer exists (deleted since containment?): inline policy AWSRevokeOlderSessions went with it, nothing to restore`,
      ],
      [
        'restore-role-tags',
        'already-done',
        `role ${roleName} no longer exists (deleted since containment?): its tags went with it, nothing to restore`,
      ],
    ]);
  });

  it('a dry-run restore plans and changes nothing', async () => {
    const { roleName } = await stageRole(iam);
    const record = await revokeRoleSessions({ iam, roleName, incidentId: uniqueName('inc'), now: NOW });
    const contained = await readRoleState(iam, roleName);
    const recording = motoIam(sharedMotoUrl());
    const sent = recordCommands(recording);

    const planned = await restoreIamRole({ iam: recording, record, dryRun: true });

    expect(sent.filter(isWrite)).toEqual([]);
    expect(await readRoleState(iam, roleName)).toEqual(contained);
    expect(planned.outcomes.map((o) => [o.action, o.status, o.detail])).toEqual([
      [
        'restore-older-sessions-policy',
        'planned',
        'would delete inline policy AWSRevokeOlderSessions (the role had none before containment)',
      ],
      ['restore-role-tags', 'planned', 'would remove cordon:incident, remove cordon:contained-at'],
    ]);
  });
});
