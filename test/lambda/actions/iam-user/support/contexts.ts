import type { ContainContext, RestoreContext } from '../../../../../lambda/actions/iam-user/context';
import type { Read } from '../../../../../lambda/actions/types';
import type { FakeIam } from './fake-iam';
import { INCIDENT, NOW } from './fixtures';

export function containContext(fake: FakeIam, overrides: Partial<ContainContext> = {}): ContainContext {
  return { iam: fake.client, userName: 'alice', incidentId: INCIDENT, dryRun: false, now: NOW, ...overrides };
}

export function restoreContext(fake: FakeIam, overrides: Partial<RestoreContext> = {}): RestoreContext {
  return { iam: fake.client, userName: 'alice', incidentId: INCIDENT, dryRun: false, ...overrides };
}

export const ok = <T>(value: T): Read<T> => ({ ok: true, value });
export const failedRead = (name = 'ThrottlingException', message = 'Rate exceeded'): Read<never> => ({
  ok: false,
  error: { name, message },
});
