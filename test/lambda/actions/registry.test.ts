import {
  ACTION_REGISTRY,
  REGISTERED_ACTION_MODULES,
  RESPONDER_CONTAINMENT_GRANTS,
} from '../../../lambda/actions/registry';
import { EC2_INSTANCE_ACTION_MODULES } from '../../../lambda/actions/ec2-instance';
import { IAM_ROLE_ACTION_MODULES } from '../../../lambda/actions/iam-role';
import { IAM_USER_ACTION_MODULES } from '../../../lambda/actions/iam-user';
import { CHANGE_REVERTERS } from '../../../lambda/actions/reverts';
import { isAccountWideAction, permissionsOf } from '../../../lambda/actions/types';

describe('the action registry', () => {
  it('has one family per kind of planned containment, for each principal of the design', () => {
    expect(
      Object.entries(ACTION_REGISTRY).map(([kind, family]) => [kind, family.appliesTo, family.recordKind]),
    ).toEqual([
      ['contain-iam-user', 'iam-user', 'cordon/iam-user-containment'],
      ['revoke-role-sessions', 'iam-role', 'cordon/iam-role-containment'],
      ['isolate-ec2-instance', 'ec2-instance', 'cordon/ec2-instance-containment'],
      ['revert-change', 'change', 'cordon/change-revert'],
    ]);
    expect(ACTION_REGISTRY['contain-iam-user'].modules).toBe(IAM_USER_ACTION_MODULES);
    expect(ACTION_REGISTRY['revoke-role-sessions'].modules).toBe(IAM_ROLE_ACTION_MODULES);
    expect(ACTION_REGISTRY['isolate-ec2-instance'].modules).toBe(EC2_INSTANCE_ACTION_MODULES);
    expect(ACTION_REGISTRY['revert-change'].modules).toBe(CHANGE_REVERTERS);
  });

  it("grants the responder exactly the union of the families' declarations", () => {
    const granted = [...new Set(RESPONDER_CONTAINMENT_GRANTS.flatMap((grant) => grant.actions))].sort();
    expect(granted).toEqual(permissionsOf(REGISTERED_ACTION_MODULES, 'permissions'));
    expect(granted).toEqual(
      [
        ...new Set([
          ...permissionsOf(IAM_USER_ACTION_MODULES, 'permissions'),
          ...permissionsOf(IAM_ROLE_ACTION_MODULES, 'permissions'),
          ...permissionsOf(EC2_INSTANCE_ACTION_MODULES, 'permissions'),
          ...permissionsOf(CHANGE_REVERTERS, 'permissions'),
        ]),
      ].sort(),
    );
  });

  it('grants each action on the resources its modules declare, and "*" only to account-wide calls', () => {
    for (const grant of RESPONDER_CONTAINMENT_GRANTS) {
      const declaring = REGISTERED_ACTION_MODULES.filter((m) =>
        grant.actions.some((a) => m.permissions.includes(a)),
      );
      for (const resource of grant.resources) {
        expect({
          grant: grant.actions,
          resource,
          declared: declaring.some((m) => (m.resources ?? ['user']).includes(resource)),
        }).toEqual({
          grant: grant.actions,
          resource,
          declared: true,
        });
      }
      if (grant.resources.includes('*')) expect(grant.actions.every(isAccountWideAction)).toBe(true);
    }
  });
});
