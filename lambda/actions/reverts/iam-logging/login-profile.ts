/**
 * Deletes a console password the attacker set (`CreateLoginProfile`, `UpdateLoginProfile`): the
 * attacker knows it, so it is a way back in. The password cannot be read, and must not be recreated
 * (nobody but the attacker should know it): undo leaves a manual step to set a new one.
 */
import { DeleteLoginProfileCommand } from '@aws-sdk/client-iam';
import { readLoginProfile, type LoginProfileState } from '../../iam-user/login-profile';
import { changeOf, isEventOf, stringAt } from '../record-fields';
import type { ChangeReverter, JsonObject, RevertOutcome } from '../types';
import { IAM_REGION } from './created-access-key';
import {
  changedBefore,
  eventOf,
  fieldOf,
  nothingToPutBack,
  otherAccountRefusal,
  outcome,
  runStep,
  undoAction,
} from './outcomes';

export interface ChangedLoginProfile extends JsonObject {
  readonly userName: string;
  /** The record's `recipientAccountId`, null when it lacks one. */
  readonly accountId: string | null;
}

const action = 'delete-login-profile';
const events = {
  eventSource: 'iam.amazonaws.com',
  eventNames: ['CreateLoginProfile', 'UpdateLoginProfile'],
} as const;

/** The state as plain JSON (`before`). */
function stateOf(state: LoginProfileState): LoginProfileState & JsonObject {
  return { ...state };
}

function since(createdAt: string | null): string {
  return createdAt ? ` (set ${createdAt})` : '';
}

export const deleteChangedLoginProfile: ChangeReverter<ChangedLoginProfile> = {
  action,
  permissions: ['iam:GetLoginProfile', 'iam:DeleteLoginProfile'],
  restorePermissions: ['iam:GetLoginProfile'],
  resources: ['user'],
  events,
  sweepSwitch: 'deleteLoginProfiles',
  summary: 'deletes the console password the event set, which the attacker knows',

  changesOf(record) {
    const basics = isEventOf({ events }, record);
    if (!basics) return [];
    const userName =
      stringAt(record.requestParameters, 'userName') ??
      stringAt(record.responseElements, 'loginProfile', 'userName');
    if (!userName) return [];
    return [
      changeOf(action, { ...basics, region: IAM_REGION }, `login-profile/${userName}`, {
        userName,
        accountId: basics.accountId ?? null,
      }),
    ];
  },

  async revert(change, ctx) {
    const refusal = otherAccountRefusal(action, change, [change.details.accountId], ctx.accountId);
    if (refusal) return [refusal];
    const { userName } = change.details;
    return [
      await runStep<LoginProfileState & JsonObject>({
        action,
        target: change.target,
        change,
        dryRun: ctx.dryRun,
        read: async () => stateOf(await readLoginProfile(ctx.clients.iam, userName)),
        settled: (state) => (state.exists ? undefined : `user ${userName} has no console password`),
        write: () => ctx.clients.iam.send(new DeleteLoginProfileCommand({ UserName: userName })),
        does: `delete the console password of user ${userName}`,
        did: `console password of user ${userName} deleted`,
        reads: `the login profile of user ${userName}`,
      }),
    ];
  },

  async undo(change, outcomes, ctx): Promise<readonly RevertOutcome[]> {
    const deleted = changedBefore(outcomes, action);
    if (fieldOf(deleted, 'exists') !== true) return [nothingToPutBack(action, change, ctx.dryRun)];
    const { userName } = change.details;
    const undo = undoAction(action);
    const createdAt = fieldOf(deleted, 'createdAt');
    const set = since(typeof createdAt === 'string' ? createdAt : null);
    let current: LoginProfileState | undefined;
    try {
      current = await readLoginProfile(ctx.clients.iam, userName);
    } catch {
      // Unreadable: the manual step below holds either way.
    }
    if (current?.exists) {
      return [
        outcome(
          undo,
          change.target,
          'already-done',
          `user ${userName} has a console password again${since(current.createdAt)}; the one ${eventOf(change)} set is not brought back`,
          stateOf(current),
        ),
      ];
    }
    const manualStep =
      `User ${userName}'s console password${set} was deleted because ${eventOf(change)} set it and the ` +
      `attacker knows it; it cannot and must not be restored. If ${userName} needs console access, set a new ` +
      `password (aws iam create-login-profile --user-name ${userName} --password-reset-required --password <new>) ` +
      `and hand it over out of band.`;
    return [
      {
        ...outcome(
          undo,
          change.target,
          ctx.dryRun ? 'planned' : 'failed',
          ctx.dryRun
            ? `would leave a manual step: the console password of user ${userName} cannot be restored (${eventOf(change)})`
            : `the console password of user ${userName} cannot be restored: a person must set a new one (${eventOf(change)})`,
          current ? stateOf(current) : null,
          ctx.dryRun
            ? undefined
            : { name: 'ManualStepRequired', message: 'a deleted console password cannot be restored' },
        ),
        manualStep,
      },
    ];
  },
};
