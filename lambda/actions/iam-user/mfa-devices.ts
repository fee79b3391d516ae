/**
 * Lists the MFA devices into the record and leaves them in place: removing one would lock the
 * owner out after restore and gains nothing against an attacker who holds access keys.
 */
import { paginateListMFADevices, type IAMClient } from '@aws-sdk/client-iam';
import type { ActionModule, ActionOutcome, Read } from '../types';
import { isoDate, nothingToDo, PAGE_SIZE, userTarget, type ContainContext } from './context';

export const mfaDevices = {
  action: 'record-mfa-device',
  permissions: ['iam:ListMFADevices'],
  restorePermissions: [],
} as const satisfies ActionModule;

export interface MfaDeviceState {
  readonly serialNumber: string;
  readonly enabledAt: string | null;
}

export type RecordMfaDeviceOutcome = ActionOutcome<typeof mfaDevices.action, MfaDeviceState | null>;

const action = mfaDevices.action;

export async function readMfaDevices(iam: IAMClient, userName: string): Promise<MfaDeviceState[]> {
  const devices: MfaDeviceState[] = [];
  for await (const page of paginateListMFADevices(
    { client: iam, pageSize: PAGE_SIZE },
    { UserName: userName },
  )) {
    for (const device of page.MFADevices ?? []) {
      if (device.SerialNumber)
        devices.push({ serialNumber: device.SerialNumber, enabledAt: isoDate(device.EnableDate) });
    }
  }
  return devices;
}

/** Makes no call: the devices are in the record, and containment changes nothing on them. */
export function recordMfaDevices(
  ctx: ContainContext,
  read: Read<readonly MfaDeviceState[]>,
): RecordMfaDeviceOutcome[] {
  if (!read.ok) {
    return [
      {
        action,
        target: userTarget(ctx.userName),
        status: 'failed',
        detail: 'could not list the MFA devices (nothing would have been changed on them)',
        error: read.error,
        before: null,
      },
    ];
  }
  if (read.value.length === 0) {
    return [
      {
        action,
        target: userTarget(ctx.userName),
        ...nothingToDo(ctx.dryRun, 'the user has no MFA device'),
        before: null,
      },
    ];
  }
  return read.value.map((device) => ({
    action,
    target: `mfa-device/${device.serialNumber}`,
    ...nothingToDo(ctx.dryRun, `MFA device ${device.serialNumber} recorded and left in place`),
    before: device,
  }));
}
