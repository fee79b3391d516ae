/**
 * Who a snapshot or an image is shared with, as plain JSON: everyone (`group: all`), an account, an
 * organization or an organizational unit. Read from a CloudTrail `createVolumePermission` or
 * `launchPermission` (`add.items[]`) and from EC2's answers, so a revert removes exactly who was added.
 */
import { at, itemsOf, stringAt } from '../record-fields';

export type ShareKind = 'group' | 'user' | 'organization' | 'organizational-unit';

export type SharePermission = { readonly kind: ShareKind; readonly value: string };

/** The fields naming each kind, as CloudTrail (lower camel case) and the SDK (upper camel case) spell them. */
const RECORDED_FIELDS: readonly (readonly [ShareKind, string])[] = [
  ['group', 'group'],
  ['user', 'userId'],
  ['organization', 'organizationArn'],
  ['organizational-unit', 'organizationalUnitArn'],
];
const SDK_FIELDS: readonly (readonly [ShareKind, string])[] = [
  ['group', 'Group'],
  ['user', 'UserId'],
  ['organization', 'OrganizationArn'],
  ['organizational-unit', 'OrganizationalUnitArn'],
];

function permissionsOfItems(items: readonly unknown[], fields: typeof RECORDED_FIELDS): SharePermission[] {
  return items.flatMap((item) =>
    fields.flatMap(([kind, field]) => {
      const value = stringAt(item, field);
      return value ? [{ kind, value }] : [];
    }),
  );
}

/** Who a record's attribute change (`createVolumePermission`, `launchPermission`) adds: its `add.items[]`. */
export function addedPermissions(requestParameters: unknown, attribute: string): readonly SharePermission[] {
  return unique(permissionsOfItems(itemsOf(at(requestParameters, attribute, 'add')), RECORDED_FIELDS));
}

/** The SDK's permission list (`CreateVolumePermissions`, `LaunchPermissions`) as share permissions. */
export function permissionsOfSdk(items: readonly object[] | undefined): readonly SharePermission[] {
  return unique(permissionsOfItems(items ?? [], SDK_FIELDS));
}

const same = (a: SharePermission, b: SharePermission) => a.kind === b.kind && a.value === b.value;

function unique(permissions: readonly SharePermission[]): SharePermission[] {
  return permissions.filter(
    (permission, index) => permissions.findIndex((p) => same(p, permission)) === index,
  );
}

/** Those of `permissions` that are in `among`. */
export function within(
  permissions: readonly SharePermission[],
  among: readonly SharePermission[],
): readonly SharePermission[] {
  return permissions.filter((permission) => among.some((other) => same(permission, other)));
}

/** Those of `permissions` that are not in `among`. */
export function outside(
  permissions: readonly SharePermission[],
  among: readonly SharePermission[],
): readonly SharePermission[] {
  return permissions.filter((permission) => !among.some((other) => same(permission, other)));
}

/** `everyone (public), account 444455556666`: who, in words. */
export function describePermissions(permissions: readonly SharePermission[]): string {
  const words: Record<ShareKind, (value: string) => string> = {
    group: (value) => (value === 'all' ? 'everyone (public)' : `group ${value}`),
    user: (value) => `account ${value}`,
    organization: (value) => `organization ${value}`,
    'organizational-unit': (value) => `organizational unit ${value}`,
  };
  return permissions.map(({ kind, value }) => words[kind](value)).join(', ');
}
