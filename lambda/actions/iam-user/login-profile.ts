/**
 * Deletes the console password (the login profile), recording that it existed and when it was
 * made. A password cannot be read back, so restore cannot recreate it: it leaves a manual step.
 */
import { DeleteLoginProfileCommand, GetLoginProfileCommand, type IAMClient } from '@aws-sdk/client-iam';
import { attempt, errorOf, type ActionModule, type ActionOutcome, type Read } from '../types';
import {
  isNoSuchEntity,
  isoDate,
  nothingToDo,
  userTarget,
  type ContainContext,
  type RestoreContext,
} from './context';

export const loginProfile = {
  action: 'delete-login-profile',
  permissions: ['iam:GetLoginProfile', 'iam:DeleteLoginProfile'],
  restorePermissions: ['iam:GetLoginProfile'],
} as const satisfies ActionModule;

export interface LoginProfileState {
  readonly exists: boolean;
  readonly createdAt: string | null;
  readonly passwordResetRequired: boolean | null;
}

export type DeleteLoginProfileOutcome = ActionOutcome<typeof loginProfile.action, LoginProfileState | null>;
export type RestoreLoginProfileOutcome = ActionOutcome<'restore-login-profile', LoginProfileState>;

const action = loginProfile.action;

export async function readLoginProfile(iam: IAMClient, userName: string): Promise<LoginProfileState> {
  try {
    const { LoginProfile } = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return {
      exists: true,
      createdAt: isoDate(LoginProfile?.CreateDate),
      passwordResetRequired: LoginProfile?.PasswordResetRequired ?? null,
    };
  } catch (thrown) {
    if (isNoSuchEntity(errorOf(thrown)))
      return { exists: false, createdAt: null, passwordResetRequired: null };
    throw thrown;
  }
}

export async function deleteLoginProfile(
  ctx: ContainContext,
  read: Read<LoginProfileState>,
): Promise<DeleteLoginProfileOutcome[]> {
  const target = userTarget(ctx.userName);
  if (!read.ok) {
    return [
      {
        action,
        target,
        status: 'failed',
        detail: 'could not read the login profile: it was not deleted',
        error: read.error,
        before: null,
      },
    ];
  }
  const before = read.value;
  if (!before.exists) {
    return [{ action, target, ...nothingToDo(ctx.dryRun, 'the user has no console password'), before }];
  }
  const since = before.createdAt ? ` (set ${before.createdAt})` : '';
  if (ctx.dryRun) {
    return [
      { action, target, status: 'planned', detail: `would delete the console password${since}`, before },
    ];
  }
  const error = await attempt(() => ctx.iam.send(new DeleteLoginProfileCommand({ UserName: ctx.userName })));
  if (!error) return [{ action, target, status: 'done', detail: `console password${since} deleted`, before }];
  if (isNoSuchEntity(error)) {
    return [
      { action, target, status: 'already-done', detail: 'the console password was already deleted', before },
    ];
  }
  return [
    { action, target, status: 'failed', detail: 'could not delete the console password', error, before },
  ];
}

export interface LoginProfileRestore {
  readonly outcomes: RestoreLoginProfileOutcome[];
  readonly manualSteps: string[];
}

/**
 * A password cannot be restored: when containment deleted one and none exists now, the outcome
 * is `failed` (ManualStepRequired) and a manual step says what a human must do.
 */
export function restoreLoginProfile(
  ctx: RestoreContext,
  recorded: readonly DeleteLoginProfileOutcome[],
  current: Read<LoginProfileState>,
): LoginProfileRestore {
  const deleted = recorded.flatMap((outcome) =>
    (outcome.status === 'done' || outcome.status === 'failed') && outcome.before?.exists
      ? [outcome.before]
      : [],
  );
  const before = deleted[0];
  if (!before) return { outcomes: [], manualSteps: [] };
  const target = userTarget(ctx.userName);
  const action = 'restore-login-profile';
  if (current.ok && current.value.exists) {
    return {
      outcomes: [
        { action, target, status: 'already-done', detail: 'the user has a console password', before },
      ],
      manualSteps: [],
    };
  }
  const since = before.createdAt ? ` (set ${before.createdAt})` : '';
  const manualStep =
    `User ${ctx.userName} had a console password${since} that containment deleted; a password cannot be ` +
    `restored. Give the user a new one (aws iam create-login-profile --user-name ${ctx.userName} ` +
    `--password-reset-required --password <new>) or ask the user to reset it.`;
  return {
    outcomes: [
      {
        action,
        target,
        status: ctx.dryRun ? 'planned' : 'failed',
        detail: ctx.dryRun
          ? 'would leave a manual step: the console password must be reset by a human'
          : 'the console password cannot be restored: a human must set a new one',
        ...(ctx.dryRun
          ? {}
          : {
              error: { name: 'ManualStepRequired', message: 'a deleted console password cannot be restored' },
            }),
        before,
      },
    ],
    manualSteps: [manualStep],
  };
}
