import {
  IAM_ROLE_ACTION_MODULES,
  IAM_ROLE_CONTAINMENT_GRANTS,
  IAM_ROLE_CONTAINMENT_PERMISSIONS,
  IAM_ROLE_RESTORE_PERMISSIONS,
  REVOKE_OLDER_SESSIONS_POLICY_NAME,
  restoreIamRole,
  revokeOlderSessionsDocument,
  revokeRoleSessions,
} from '../../../../lambda/actions/iam-role';
import { DENY_ALL_POLICY_NAME } from '../../../../lambda/actions/iam-user/deny-policy';
import { FakeRoleIam, type FakeCall } from './support/fake-role-iam';

const NOW = new Date('2024-05-06T07:08:09.000Z');
const EARLIER = new Date('2024-05-01T00:00:00.000Z');

type Used = Record<string, Set<string>>;
const emptyUse = (): Used =>
  Object.fromEntries(IAM_ROLE_ACTION_MODULES.map((m) => [m.action, new Set<string>()]));

/**
 * The module a call belongs to, by what it acts on: the revocation's policy, the deny's policy,
 * the tags. GetRole is the read every module decides on ("does the role exist?"): each uses it.
 */
function modulesOf(call: FakeCall): string[] {
  if (call.command === 'GetRole') return IAM_ROLE_ACTION_MODULES.map((m) => m.action);
  if (/RolePolicy$/.test(call.command)) {
    if (call.input.PolicyName === REVOKE_OLDER_SESSIONS_POLICY_NAME) return ['revoke-older-sessions'];
    if (call.input.PolicyName === DENY_ALL_POLICY_NAME) return ['deny-all-role'];
  }
  if (['ListRoleTags', 'TagRole', 'UntagRole'].includes(call.command)) return ['tag-role'];
  throw new Error(`a call no module owns: ${call.command} ${JSON.stringify(call.input)}`);
}

function record(used: Used, calls: readonly FakeCall[]): void {
  for (const call of calls) for (const module of modulesOf(call)) used[module].add(`iam:${call.command}`);
}

/** Contains and restores through every path (no previous state; a previous revocation, deny and tags) and collects the calls per module. */
async function callsPerModule(): Promise<{ contain: Used; restore: Used }> {
  const contain = emptyUse();
  const restore = emptyUse();
  const scenarios: Parameters<FakeRoleIam['addRole']>[1][] = [
    {},
    {
      policies: {
        [REVOKE_OLDER_SESSIONS_POLICY_NAME]: revokeOlderSessionsDocument(EARLIER),
        [DENY_ALL_POLICY_NAME]: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
      },
      tags: { 'cordon:incident': 'inc-old', 'cordon:contained-at': EARLIER.toISOString() },
    },
  ];
  for (const spec of scenarios) {
    const fake = new FakeRoleIam();
    try {
      fake.addRole('web-app', spec);
      const result = await revokeRoleSessions({
        iam: fake.client,
        roleName: 'web-app',
        incidentId: 'inc-1',
        now: NOW,
        attackSeenAt: '2024-05-06T07:00:00Z',
        denyAll: true,
      });
      expect(result.outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done']);
      record(contain, fake.calls);
      fake.clearLog();
      const undone = await restoreIamRole({ iam: fake.client, record: result });
      expect(undone.outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done']);
      record(restore, fake.calls);
    } finally {
      fake.restore();
    }
  }
  return { contain, restore };
}

describe('IAM-role permissions', () => {
  it('are derived from the action modules declarations, the revocation first', () => {
    const declared = (which: 'permissions' | 'restorePermissions') =>
      [...new Set(IAM_ROLE_ACTION_MODULES.flatMap((module) => module[which]))].sort();
    expect(IAM_ROLE_CONTAINMENT_PERMISSIONS).toEqual(declared('permissions'));
    expect(IAM_ROLE_RESTORE_PERMISSIONS).toEqual(declared('restorePermissions'));
    expect(IAM_ROLE_ACTION_MODULES.map((module) => [module.action, module.resources])).toEqual([
      ['revoke-older-sessions', ['role']],
      ['deny-all-role', ['role']],
      ['tag-role', ['role']],
    ]);
  });

  it('cover exactly the calls each module makes: no call without its permission, no permission without a call', async () => {
    const used = await callsPerModule();

    for (const module of IAM_ROLE_ACTION_MODULES) {
      expect({ module: module.action, contain: [...used.contain[module.action]].sort() }).toEqual({
        module: module.action,
        contain: [...module.permissions].sort(),
      });
      expect({ module: module.action, restore: [...used.restore[module.action]].sort() }).toEqual({
        module: module.action,
        restore: [...module.restorePermissions].sort(),
      });
    }
  });

  it('are least privilege: containment cannot delete a role or a policy, change trust or attach a managed policy', () => {
    expect(IAM_ROLE_CONTAINMENT_GRANTS).toEqual([
      {
        actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRoleTags', 'iam:PutRolePolicy', 'iam:TagRole'],
        resources: ['role'],
      },
    ]);
    expect(IAM_ROLE_RESTORE_PERMISSIONS).toEqual([
      'iam:DeleteRolePolicy',
      'iam:GetRole',
      'iam:GetRolePolicy',
      'iam:ListRoleTags',
      'iam:PutRolePolicy',
      'iam:TagRole',
      'iam:UntagRole',
    ]);
    for (const forbidden of [
      'iam:DeleteRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:AttachRolePolicy',
      'iam:PutRolePermissionsBoundary',
    ]) {
      expect(IAM_ROLE_CONTAINMENT_PERMISSIONS).not.toContain(forbidden);
      expect(IAM_ROLE_RESTORE_PERMISSIONS).not.toContain(forbidden);
    }
    expect(IAM_ROLE_CONTAINMENT_PERMISSIONS).not.toContain('iam:DeleteRolePolicy');
  });
});
