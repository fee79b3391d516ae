/**
 * An in-memory IAM for roles behind aws-sdk-client-mock, for the unit tests: the commands the
 * IAM-role actions send act on real state, every `send` is logged with its input and its depth in
 * the chain of calls (1 + the deepest call that had settled when it was sent), and failures can be
 * injected per command. Policy documents come back URL-encoded, as IAM sends them.
 */
import {
  IAMClient,
  IAMServiceException,
  NoSuchEntityException,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-iam';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';

export const ACCOUNT = '123456789012';

export interface FakeRole {
  readonly name: string;
  readonly arn: string;
  readonly policies: Map<string, string>;
  readonly tags: Map<string, string>;
}

export interface FakeCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly depth: number;
}

interface FailureRule {
  readonly command: string;
  readonly error: () => Error;
  readonly match: (input: Record<string, unknown>) => boolean;
  remaining: number;
}

export function throttling(): Error {
  return new IAMServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });
}

const noSuchEntity = (message: string) =>
  new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });

export class FakeRoleIam {
  readonly client: IAMClient;
  readonly mock: AwsStub<ServiceInputTypes, ServiceOutputTypes, unknown>;
  readonly roles = new Map<string, FakeRole>();
  readonly calls: FakeCall[] = [];
  private readonly failures: FailureRule[] = [];
  private deepestSettled = 0;
  /**
   * Milliseconds every call takes. With 0, a call settles within microtasks, so a caller that
   * takes a few more microtasks to send (a paginator) looks one round trip deeper than it is.
   */
  delayMs = 0;

  constructor() {
    this.client = new IAMClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    });
    this.mock = mockClient(this.client);
    this.mock.send.callsFake((command: { constructor: { name: string }; input: unknown }) =>
      this.dispatch(
        command.constructor.name.replace(/Command$/, ''),
        command.input as Record<string, unknown>,
      ),
    );
  }

  restore(): void {
    this.mock.restore();
  }

  addRole(
    name: string,
    spec: { policies?: Record<string, string>; tags?: Record<string, string> } = {},
  ): FakeRole {
    const role: FakeRole = {
      name,
      arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      policies: new Map(Object.entries(spec.policies ?? {})),
      tags: new Map(Object.entries(spec.tags ?? {})),
    };
    this.roles.set(name, role);
    return role;
  }

  /** Makes the next `times` matching calls (every matching call by default) fail with `error`. */
  fail(
    command: string,
    error: () => Error,
    options: { match?: (input: Record<string, unknown>) => boolean; times?: number } = {},
  ): void {
    this.failures.push({
      command,
      error,
      match: options.match ?? (() => true),
      remaining: options.times ?? Infinity,
    });
  }

  /** The role's policies and tags as plain data, sorted. */
  stateOf(name: string) {
    const role = this.role(name);
    const sorted = (map: Map<string, string>) =>
      Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
    return { policies: sorted(role.policies), tags: sorted(role.tags) };
  }

  commands(): string[] {
    return this.calls.map((call) => call.command);
  }

  writes(): FakeCall[] {
    return this.calls.filter((call) => !/^(Get|List)/.test(call.command));
  }

  clearLog(): void {
    this.calls.length = 0;
    this.deepestSettled = 0;
  }

  private role(name: unknown): FakeRole {
    const role = typeof name === 'string' ? this.roles.get(name) : undefined;
    if (!role) throw noSuchEntity(`The role with name ${String(name)} cannot be found.`);
    return role;
  }

  private async dispatch(command: string, input: Record<string, unknown>): Promise<ServiceOutputTypes> {
    const depth = this.deepestSettled + 1;
    this.calls.push({ command, input: { ...input }, depth });
    try {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      else await Promise.resolve();
      const rule = this.failures.find((f) => f.command === command && f.remaining > 0 && f.match(input));
      if (rule) {
        rule.remaining -= 1;
        throw rule.error();
      }
      return { $metadata: {}, ...this.handle(command, input) };
    } finally {
      this.deepestSettled = Math.max(this.deepestSettled, depth);
    }
  }

  private handle(command: string, input: Record<string, unknown>): Record<string, unknown> {
    const role = () => this.role(input.RoleName);
    const policyName = String(input.PolicyName);
    switch (command) {
      case 'GetRole': {
        const r = role();
        return {
          Role: {
            RoleName: r.name,
            Arn: r.arn,
            RoleId: `AROA${r.name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
            Path: '/',
            CreateDate: new Date('2024-01-02T03:04:05.000Z'),
            MaxSessionDuration: 3600,
          },
        };
      }
      case 'GetRolePolicy': {
        const document = role().policies.get(policyName);
        if (document === undefined)
          throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
        return {
          RoleName: input.RoleName,
          PolicyName: policyName,
          PolicyDocument: encodeURIComponent(document),
        };
      }
      case 'PutRolePolicy':
        role().policies.set(policyName, String(input.PolicyDocument));
        return {};
      case 'DeleteRolePolicy': {
        if (!role().policies.delete(policyName)) {
          throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
        }
        return {};
      }
      case 'ListRoleTags':
        return { Tags: [...role().tags].map(([Key, Value]) => ({ Key, Value })), IsTruncated: false };
      case 'TagRole': {
        const r = role();
        for (const tag of input.Tags as { Key: string; Value: string }[]) r.tags.set(tag.Key, tag.Value);
        return {};
      }
      case 'UntagRole': {
        const r = role();
        for (const key of input.TagKeys as string[]) r.tags.delete(key);
        return {};
      }
      default:
        throw new Error(`FakeRoleIam: ${command} is not faked`);
    }
  }
}
