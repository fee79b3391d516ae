/**
 * An in-memory IAM behind aws-sdk-client-mock, for the unit tests: the commands the IAM-user
 * actions send act on real state (with IAM's quotas on inline policy size and on attached
 * managed policies), every `send` is logged with its order and its depth in the chain of calls,
 * and failures can be injected per command.
 */
import {
  IAMClient,
  IAMServiceException,
  LimitExceededException,
  NoSuchEntityException,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-iam';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';

export const ACCOUNT = '123456789012';
const AWS_MANAGED_ARN = /^arn:aws:iam::aws:policy\/[A-Za-z0-9+=,.@_-]+$/;

interface Credential {
  status: string;
  created: Date;
}

interface ServiceCredential extends Credential {
  serviceName: string;
  serviceUserName: string;
}

export interface FakeUser {
  name: string;
  arn: string;
  userId: string;
  created: Date;
  accessKeys: Map<string, Credential>;
  loginProfile: { created: Date; passwordResetRequired: boolean } | null;
  attached: string[];
  inline: Map<string, string>;
  groups: string[];
  sshPublicKeys: Map<string, Credential>;
  signingCertificates: Map<string, Credential>;
  serviceCredentials: Map<string, ServiceCredential>;
  mfaDevices: { serial: string; enabled: Date }[];
  tags: Map<string, string>;
  boundary: string | null;
}

/** What a test stages; everything optional. */
export interface UserSpec {
  accessKeys?: { id: string; status?: 'Active' | 'Inactive' }[];
  loginProfile?: boolean;
  attached?: string[];
  inline?: Record<string, string>;
  groups?: string[];
  sshPublicKeys?: { id: string; status?: 'Active' | 'Inactive' }[];
  signingCertificates?: { id: string; status?: 'Active' | 'Inactive' }[];
  serviceCredentials?: { id: string; serviceName: string; status?: 'Active' | 'Inactive' }[];
  mfaDevices?: string[];
  tags?: Record<string, string>;
  boundary?: string;
}

export interface CallRecord {
  readonly seq: number;
  readonly command: string;
  readonly input: Record<string, unknown>;
  /** 1 + the deepest call that had settled when this one was sent. */
  readonly depth: number;
  settled: boolean;
  error?: string;
}

export interface FailureRule {
  readonly command: string;
  readonly error: () => Error;
  readonly match?: (input: Record<string, unknown>) => boolean;
  /** How many calls fail; every matching call when absent. */
  remaining?: number;
}

export function throttling(): Error {
  return new IAMServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });
}

export function accessDenied(action: string): Error {
  return new IAMServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: `User is not authorized to perform: ${action}`,
  });
}

const noSuchEntity = (message: string) =>
  new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });
const limitExceeded = (message: string) =>
  new LimitExceededException({ message, $metadata: { httpStatusCode: 409 } });

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** IAM counts inline policy size without whitespace. */
const policySize = (document: string) => document.replace(/\s/g, '').length;

function page<T>(items: readonly T[], input: Record<string, unknown>, cap: number) {
  const start = typeof input.Marker === 'string' ? Number(input.Marker) : 0;
  const size = Math.min(typeof input.MaxItems === 'number' ? input.MaxItems : 100, cap);
  const end = start + size;
  return {
    items: items.slice(start, end),
    paging: end < items.length ? { IsTruncated: true, Marker: String(end) } : { IsTruncated: false },
  };
}

export class FakeIam {
  readonly client: IAMClient;
  readonly mock: AwsStub<ServiceInputTypes, ServiceOutputTypes, unknown>;
  readonly users = new Map<string, FakeUser>();
  readonly groups = new Set<string>();
  readonly calls: CallRecord[] = [];
  /** `send:X` and `settle:X`, in the order they happened. */
  readonly events: string[] = [];
  readonly failures: FailureRule[] = [];
  /** Milliseconds every call takes. */
  delayMs = 0;
  /** Milliseconds some commands take instead. */
  readonly delays: Record<string, number> = {};
  /** Milliseconds some calls take instead, chosen by their input (see `slow`); first match wins. */
  readonly slowCalls: { command: string; ms: number; match: (input: Record<string, unknown>) => boolean }[] =
    [];
  /** IAM's quotas: aggregate inline policy size per user, managed policies per user. */
  inlineCharsQuota = 2048;
  managedPoliciesQuota = 10;
  /** Largest page the fake returns, whatever MaxItems asks. */
  pageCap = 1000;
  private deepestSettled = 0;
  private seq = 0;

  constructor(options: { region?: string } = {}) {
    this.client = new IAMClient({
      region: options.region ?? 'us-east-1',
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

  /** Makes the next matching calls (all of them by default) fail with `error`. */
  fail(
    command: string,
    error: () => Error,
    options: { match?: (input: Record<string, unknown>) => boolean; times?: number } = {},
  ) {
    this.failures.push({
      command,
      error,
      ...options,
      ...(options.times ? { remaining: options.times } : {}),
    });
  }

  /** Makes the matching calls (every call of the command by default) take `ms` milliseconds. */
  slow(command: string, ms: number, match: (input: Record<string, unknown>) => boolean = () => true): void {
    this.slowCalls.push({ command, ms, match });
  }

  /** The first `send:`/`settle:` event of a call, or -1; e.g. `indexOf('settle', 'GetLoginProfile')`. */
  indexOf(event: 'send' | 'settle', command: string): number {
    return this.events.indexOf(`${event}:${command}`);
  }

  /** The last `send:`/`settle:` event of a command, or -1. */
  lastIndexOf(event: 'send' | 'settle', command: string): number {
    return this.events.lastIndexOf(`${event}:${command}`);
  }

  addGroup(name: string): void {
    this.groups.add(name);
  }

  addUser(name: string, spec: UserSpec = {}): FakeUser {
    const created = new Date('2024-01-02T03:04:05.000Z');
    const credentials = (list: { id: string; status?: string }[] = []) =>
      new Map(list.map(({ id, status }) => [id, { status: status ?? 'Active', created }]));
    for (const group of spec.groups ?? []) this.groups.add(group);
    const user: FakeUser = {
      name,
      arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
      userId: `AIDA${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
      created,
      accessKeys: credentials(spec.accessKeys),
      loginProfile: spec.loginProfile ? { created, passwordResetRequired: false } : null,
      attached: [...(spec.attached ?? [])],
      inline: new Map(Object.entries(spec.inline ?? {})),
      groups: [...(spec.groups ?? [])],
      sshPublicKeys: credentials(spec.sshPublicKeys),
      signingCertificates: credentials(spec.signingCertificates),
      serviceCredentials: new Map(
        (spec.serviceCredentials ?? []).map(({ id, serviceName, status }) => [
          id,
          { status: status ?? 'Active', created, serviceName, serviceUserName: `${name}-at-${ACCOUNT}` },
        ]),
      ),
      mfaDevices: (spec.mfaDevices ?? []).map((serial) => ({ serial, enabled: created })),
      tags: new Map(Object.entries(spec.tags ?? {})),
      boundary: spec.boundary ?? null,
    };
    const inlineChars = [...user.inline.values()].reduce((sum, document) => sum + policySize(document), 0);
    if (inlineChars > this.inlineCharsQuota || user.attached.length > this.managedPoliciesQuota) {
      throw new Error(
        `FakeIam: user ${name} would break an IAM quota (${inlineChars} inline characters, ${user.attached.length} policies)`,
      );
    }
    this.users.set(name, user);
    return user;
  }

  /** The user's whole state as plain data, for comparisons. */
  stateOf(name: string) {
    const user = this.user(name);
    const statuses = (map: Map<string, Credential>) =>
      Object.fromEntries([...map].map(([id, c]) => [id, c.status]));
    return {
      accessKeys: statuses(user.accessKeys),
      loginProfile: user.loginProfile !== null,
      attached: [...user.attached].sort(),
      inline: Object.fromEntries([...user.inline].sort(([a], [b]) => a.localeCompare(b))),
      groups: [...user.groups].sort(),
      sshPublicKeys: statuses(user.sshPublicKeys),
      signingCertificates: statuses(user.signingCertificates),
      serviceCredentials: statuses(user.serviceCredentials),
      mfaDevices: user.mfaDevices.map((device) => device.serial),
      tags: Object.fromEntries([...user.tags].sort(([a], [b]) => a.localeCompare(b))),
      boundary: user.boundary,
    };
  }

  /** Commands sent, in order. */
  commands(): string[] {
    return this.calls.map((call) => call.command);
  }

  writeCommands(): string[] {
    return this.commands().filter((command) => !/^(Get|List)/.test(command));
  }

  maxDepth(): number {
    return Math.max(0, ...this.calls.map((call) => call.depth));
  }

  clearLog(): void {
    this.calls.length = 0;
    this.events.length = 0;
    this.deepestSettled = 0;
  }

  private user(name: unknown): FakeUser {
    const user = typeof name === 'string' ? this.users.get(name) : undefined;
    if (!user) throw noSuchEntity(`The user with name ${String(name)} cannot be found.`);
    return user;
  }

  private async dispatch(command: string, input: Record<string, unknown>): Promise<ServiceOutputTypes> {
    const call: CallRecord = {
      seq: this.seq++,
      command,
      input: { ...input },
      depth: this.deepestSettled + 1,
      settled: false,
    };
    this.calls.push(call);
    this.events.push(`send:${command}`);
    try {
      const ms =
        this.slowCalls.find((slow) => slow.command === command && slow.match(input))?.ms ??
        this.delays[command] ??
        this.delayMs;
      if (ms > 0) await delay(ms);
      else await Promise.resolve();
      const rule = this.failures.find(
        (failure) =>
          failure.command === command &&
          (failure.remaining === undefined || failure.remaining > 0) &&
          (!failure.match || failure.match(input)),
      );
      if (rule) {
        if (rule.remaining !== undefined) rule.remaining -= 1;
        throw rule.error();
      }
      return { $metadata: {}, ...this.handle(command, input) };
    } catch (error) {
      call.error = (error as Error).name;
      throw error;
    } finally {
      call.settled = true;
      this.deepestSettled = Math.max(this.deepestSettled, call.depth);
      this.events.push(`settle:${command}`);
    }
  }

  private handle(command: string, input: Record<string, unknown>): Record<string, unknown> {
    const user = () => this.user(input.UserName);
    const setStatus = (map: Map<string, Credential>, id: unknown, what: string) => {
      const credential = typeof id === 'string' ? map.get(id) : undefined;
      if (!credential) throw noSuchEntity(`The ${what} with id ${String(id)} cannot be found`);
      credential.status = String(input.Status);
      return {};
    };
    switch (command) {
      case 'GetUser': {
        const u = user();
        return {
          User: {
            UserName: u.name,
            Arn: u.arn,
            UserId: u.userId,
            Path: '/',
            CreateDate: u.created,
            ...(u.boundary
              ? {
                  PermissionsBoundary: {
                    PermissionsBoundaryType: 'Policy',
                    PermissionsBoundaryArn: u.boundary,
                  },
                }
              : {}),
          },
        };
      }
      case 'ListAccessKeys': {
        const { items, paging } = page([...user().accessKeys], input, this.pageCap);
        return {
          AccessKeyMetadata: items.map(([id, c]) => ({
            AccessKeyId: id,
            Status: c.status,
            CreateDate: c.created,
          })),
          ...paging,
        };
      }
      case 'UpdateAccessKey':
        return setStatus(user().accessKeys, input.AccessKeyId, 'Access Key');
      case 'GetLoginProfile': {
        const profile = user().loginProfile;
        if (!profile) throw noSuchEntity(`Login profile for ${String(input.UserName)} not found`);
        return {
          LoginProfile: {
            UserName: input.UserName,
            CreateDate: profile.created,
            PasswordResetRequired: profile.passwordResetRequired,
          },
        };
      }
      case 'DeleteLoginProfile': {
        const u = user();
        if (!u.loginProfile) throw noSuchEntity(`Login profile for ${u.name} not found`);
        u.loginProfile = null;
        return {};
      }
      case 'ListAttachedUserPolicies': {
        const { items, paging } = page(user().attached, input, this.pageCap);
        return {
          AttachedPolicies: items.map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop() })),
          ...paging,
        };
      }
      case 'AttachUserPolicy': {
        const u = user();
        const arn = String(input.PolicyArn);
        if (!AWS_MANAGED_ARN.test(arn) && !arn.startsWith(`arn:aws:iam::${ACCOUNT}:policy/`)) {
          throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
        }
        if (u.attached.includes(arn)) return {};
        if (u.attached.length >= this.managedPoliciesQuota) {
          throw limitExceeded(`Cannot exceed quota for PoliciesPerUser: ${this.managedPoliciesQuota}`);
        }
        u.attached.push(arn);
        return {};
      }
      case 'DetachUserPolicy': {
        const u = user();
        const index = u.attached.indexOf(String(input.PolicyArn));
        if (index < 0) throw noSuchEntity(`Policy ${String(input.PolicyArn)} was not found.`);
        u.attached.splice(index, 1);
        return {};
      }
      case 'ListUserPolicies': {
        const { items, paging } = page([...user().inline.keys()], input, this.pageCap);
        return { PolicyNames: items, ...paging };
      }
      case 'GetUserPolicy': {
        const u = user();
        const document = u.inline.get(String(input.PolicyName));
        if (document === undefined)
          throw noSuchEntity(`The user policy with name ${String(input.PolicyName)} cannot be found.`);
        return {
          UserName: u.name,
          PolicyName: input.PolicyName,
          PolicyDocument: encodeURIComponent(document),
        };
      }
      case 'PutUserPolicy': {
        const u = user();
        const name = String(input.PolicyName);
        const document = String(input.PolicyDocument);
        const others = [...u.inline].filter(([key]) => key !== name);
        const total = others.reduce((sum, [, doc]) => sum + policySize(doc), 0) + policySize(document);
        if (total > this.inlineCharsQuota) {
          throw limitExceeded(
            `Maximum policy size of ${this.inlineCharsQuota} bytes exceeded for user ${u.name}`,
          );
        }
        u.inline.set(name, document);
        return {};
      }
      case 'DeleteUserPolicy': {
        const u = user();
        if (!u.inline.delete(String(input.PolicyName))) {
          throw noSuchEntity(`The user policy with name ${String(input.PolicyName)} cannot be found.`);
        }
        return {};
      }
      case 'ListGroupsForUser': {
        const { items, paging } = page(user().groups, input, this.pageCap);
        return {
          Groups: items.map((name) => ({ GroupName: name, Arn: `arn:aws:iam::${ACCOUNT}:group/${name}` })),
          ...paging,
        };
      }
      case 'RemoveUserFromGroup': {
        const u = user();
        if (!this.groups.has(String(input.GroupName)))
          throw noSuchEntity(`Group ${String(input.GroupName)} not found`);
        const index = u.groups.indexOf(String(input.GroupName));
        if (index < 0) throw noSuchEntity(`User ${u.name} not in group ${String(input.GroupName)}`);
        u.groups.splice(index, 1);
        return {};
      }
      case 'AddUserToGroup': {
        const u = user();
        if (!this.groups.has(String(input.GroupName)))
          throw noSuchEntity(`Group ${String(input.GroupName)} not found`);
        if (!u.groups.includes(String(input.GroupName))) u.groups.push(String(input.GroupName));
        return {};
      }
      case 'ListSSHPublicKeys': {
        const { items, paging } = page([...user().sshPublicKeys], input, this.pageCap);
        return {
          SSHPublicKeys: items.map(([id, c]) => ({
            SSHPublicKeyId: id,
            Status: c.status,
            UploadDate: c.created,
          })),
          ...paging,
        };
      }
      case 'UpdateSSHPublicKey':
        return setStatus(user().sshPublicKeys, input.SSHPublicKeyId, 'SSH Public Key');
      case 'ListSigningCertificates': {
        const { items, paging } = page([...user().signingCertificates], input, this.pageCap);
        return {
          Certificates: items.map(([id, c]) => ({
            CertificateId: id,
            Status: c.status,
            UploadDate: c.created,
          })),
          ...paging,
        };
      }
      case 'UpdateSigningCertificate':
        return setStatus(user().signingCertificates, input.CertificateId, 'Certificate');
      case 'ListServiceSpecificCredentials': {
        const { items, paging } = page([...user().serviceCredentials], input, this.pageCap);
        return {
          ServiceSpecificCredentials: items.map(([id, c]) => ({
            ServiceSpecificCredentialId: id,
            Status: c.status,
            CreateDate: c.created,
            ServiceName: c.serviceName,
            ServiceUserName: c.serviceUserName,
          })),
          ...paging,
        };
      }
      case 'UpdateServiceSpecificCredential':
        return setStatus(
          user().serviceCredentials,
          input.ServiceSpecificCredentialId,
          'Service Specific Credential',
        );
      case 'ListMFADevices': {
        const { items, paging } = page(user().mfaDevices, input, this.pageCap);
        return {
          MFADevices: items.map((d) => ({ SerialNumber: d.serial, EnableDate: d.enabled })),
          ...paging,
        };
      }
      case 'ListUserTags': {
        const { items, paging } = page([...user().tags], input, this.pageCap);
        return { Tags: items.map(([Key, Value]) => ({ Key, Value })), ...paging };
      }
      case 'TagUser': {
        const u = user();
        for (const tag of input.Tags as { Key: string; Value: string }[]) u.tags.set(tag.Key, tag.Value);
        return {};
      }
      case 'UntagUser': {
        const u = user();
        for (const key of input.TagKeys as string[]) u.tags.delete(key);
        return {};
      }
      case 'PutUserPermissionsBoundary': {
        const arn = String(input.PermissionsBoundary);
        if (!AWS_MANAGED_ARN.test(arn) && !arn.startsWith(`arn:aws:iam::${ACCOUNT}:policy/`)) {
          throw noSuchEntity(`Policy ${arn} does not exist`);
        }
        user().boundary = arn;
        return {};
      }
      case 'DeleteUserPermissionsBoundary': {
        const u = user();
        if (!u.boundary) throw noSuchEntity(`User ${u.name} has no permissions boundary`);
        u.boundary = null;
        return {};
      }
      default:
        throw new Error(`FakeIam: ${command} is not faked`);
    }
  }
}
