/**
 * An in-memory IAM behind a real IAMClient, for the containment benchmark: a middleware after the
 * SDK's retry step answers every call from the user's state after a FIXED delay (the injected
 * round trip), instead of sending it. Each call's start and end are logged, so that a run can say
 * when each change took effect.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import type { FinalizeHandlerArguments, FinalizeHandlerOutput, MetadataBearer } from '@smithy/types';

export interface BenchUser {
  readonly name: string;
  readonly accessKeys: Map<string, string>;
  loginProfile: boolean;
  readonly attached: string[];
  readonly inline: Map<string, string>;
  readonly groups: string[];
  readonly tags: Map<string, string>;
}

export interface LoggedCall {
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly sentAt: number;
  settledAt?: number;
}

const ACCOUNT = '123456789012';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A user with `keys` active keys, a console password, managed, inline policies and groups. */
export function benchUser(shape: {
  keys: number;
  managed: number;
  inline: number;
  groups: number;
}): BenchUser {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const document = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
  });
  return {
    name: 'alice',
    accessKeys: new Map(range(shape.keys).map((i) => [`AKIABENCHKEY0000000${i}`, 'Active'])),
    loginProfile: true,
    attached: range(shape.managed).map((i) => `arn:aws:iam::${ACCOUNT}:policy/bench-${i}`),
    inline: new Map(range(shape.inline).map((i) => [`inline-${i}`, document])),
    groups: range(shape.groups).map((i) => `group-${i}`),
    tags: new Map([['team', 'payments']]),
  };
}

export class LatencyIam {
  readonly client: IAMClient;
  readonly calls: LoggedCall[] = [];

  constructor(
    readonly user: BenchUser,
    readonly delayMs: number,
    private readonly clock: () => number,
  ) {
    this.client = new IAMClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' },
    });
    this.client.middlewareStack.add(
      (_next, context) =>
        async (args: FinalizeHandlerArguments<object>): Promise<FinalizeHandlerOutput<MetadataBearer>> => {
          const command = (context.commandName ?? '').replace(/Command$/, '');
          const output = await this.answer(command, (args.input ?? {}) as Record<string, unknown>);
          return { output: { $metadata: {}, ...output }, response: {} };
        },
      { step: 'finalizeRequest', priority: 'low', name: 'benchLatencyIam' },
    );
  }

  /** When each call of `command` matching `match` answered, in the clock's time. */
  settledAt(command: string, match: (input: Record<string, unknown>) => boolean = () => true): number[] {
    return this.calls
      .filter((call) => call.command === command && match(call.input) && call.settledAt !== undefined)
      .map((call) => call.settledAt as number);
  }

  private async answer(command: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const call: LoggedCall = { command, input, sentAt: this.clock() };
    this.calls.push(call);
    await sleep(this.delayMs);
    try {
      return this.handle(command, input);
    } finally {
      call.settledAt = this.clock();
    }
  }

  private handle(command: string, input: Record<string, unknown>): Record<string, unknown> {
    const user = this.user;
    const missing = (what: string) =>
      Object.assign(new Error(`${what} cannot be found`), {
        name: 'NoSuchEntityException',
        $fault: 'client',
      });
    switch (command) {
      case 'GetUser':
        return {
          User: {
            UserName: user.name,
            Arn: `arn:aws:iam::${ACCOUNT}:user/${user.name}`,
            UserId: 'AIDABENCH',
            Path: '/',
            CreateDate: new Date('2024-01-02T03:04:05Z'),
          },
        };
      case 'ListAccessKeys':
        return {
          AccessKeyMetadata: [...user.accessKeys].map(([AccessKeyId, Status]) => ({ AccessKeyId, Status })),
          IsTruncated: false,
        };
      case 'UpdateAccessKey':
        user.accessKeys.set(String(input.AccessKeyId), String(input.Status));
        return {};
      case 'GetLoginProfile':
        if (!user.loginProfile) throw missing('login profile');
        return { LoginProfile: { UserName: user.name, CreateDate: new Date('2024-01-02T03:04:05Z') } };
      case 'DeleteLoginProfile':
        user.loginProfile = false;
        return {};
      case 'ListAttachedUserPolicies':
        return {
          AttachedPolicies: user.attached.map((arn) => ({
            PolicyArn: arn,
            PolicyName: arn.split('/').pop(),
          })),
          IsTruncated: false,
        };
      case 'DetachUserPolicy':
        user.attached.splice(user.attached.indexOf(String(input.PolicyArn)), 1);
        return {};
      case 'ListUserPolicies':
        return { PolicyNames: [...user.inline.keys()], IsTruncated: false };
      case 'GetUserPolicy': {
        const document = user.inline.get(String(input.PolicyName));
        if (document === undefined) throw missing(`policy ${String(input.PolicyName)}`);
        return {
          UserName: user.name,
          PolicyName: input.PolicyName,
          PolicyDocument: encodeURIComponent(document),
        };
      }
      case 'PutUserPolicy':
        user.inline.set(String(input.PolicyName), String(input.PolicyDocument));
        return {};
      case 'DeleteUserPolicy':
        user.inline.delete(String(input.PolicyName));
        return {};
      case 'ListGroupsForUser':
        return {
          Groups: user.groups.map((GroupName) => ({
            GroupName,
            Arn: `arn:aws:iam::${ACCOUNT}:group/${GroupName}`,
          })),
          IsTruncated: false,
        };
      case 'RemoveUserFromGroup':
        user.groups.splice(user.groups.indexOf(String(input.GroupName)), 1);
        return {};
      case 'ListSSHPublicKeys':
        return { SSHPublicKeys: [], IsTruncated: false };
      case 'ListSigningCertificates':
        return { Certificates: [], IsTruncated: false };
      case 'ListServiceSpecificCredentials':
        return { ServiceSpecificCredentials: [] };
      case 'ListMFADevices':
        return { MFADevices: [], IsTruncated: false };
      case 'ListUserTags':
        return { Tags: [...user.tags].map(([Key, Value]) => ({ Key, Value })), IsTruncated: false };
      case 'TagUser':
        for (const tag of input.Tags as { Key: string; Value: string }[]) user.tags.set(tag.Key, tag.Value);
        return {};
      default:
        throw new Error(`bench IAM: ${command} is not faked`);
    }
  }
}
