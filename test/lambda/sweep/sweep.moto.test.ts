/**
 * The sweep end to end: LookupEvents served from a fixture (moto has none), a timeline in real
 * CloudTrail record format across three regions with several pages each, while EC2, IAM and
 * CloudTrail state lives in the emulator.
 */
import {
  GetTrailStatusCommand,
  CreateTrailCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRolePolicyCommand,
  ListAccessKeysCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { S3Client } from '@aws-sdk/client-s3';
import { parseConfig } from '../../../lambda/config/load';
import type { CordonConfig } from '../../../lambda/config/schema';
import type { CloudTrailRecord } from '../../../lambda/actions/reverts/types';
import { LocalIncidentStore } from '../../../lambda/incidents/local-incident-store';
import { ownDeploymentOf } from '../../../lambda/responder/own-deployment';
import { restoreIncident } from '../../../lambda/responder/restore-incident';
import { lookupEventsClients } from '../../../lambda/sweep/lookup-events';
import { RegionRateLimiters } from '../../../lambda/sweep/rate-limiter';
import { runSweep, type SweepDependencies, type SweepState } from '../../../lambda/sweep/sweep';
import { CloudTrailFixture } from '../../support/cloudtrail-fixture';
import { cloudTrailRecord, RECORD_ACCOUNT } from '../../support/cloudtrail-records';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';
import { emulatorRevertClients } from '../../support/revert-clients';
import { useTempDir } from '../../support/temp-dir';
import type { ActionOutcome } from '../../../lambda/actions/types';

const REGIONS = ['ap-southeast-2', 'eu-west-1', 'us-east-1'];
const NEWEST = new Date('2026-12-01T12:00:00Z');
const FILLER_PER_REGION = 120; // 50 a page: three pages per region, and more with the attacker's writes

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${RECORD_ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
});

interface Staged {
  readonly accessKeyId: string;
  readonly userName: string;
  readonly instanceId: string;
  readonly groupId: string;
  readonly ruleId: string;
  readonly backdoorUser: string;
  readonly plantedKey: string;
  readonly trailArn: string;
  readonly assumedRole: string;
  readonly sessionKey: string;
  readonly timeline: Record<string, CloudTrailRecord[]>;
}

/** The attacker's world in the emulator, and its CloudTrail timeline as LookupEvents would answer it. */
async function stageAttack(url: string): Promise<Staged> {
  const clients = emulatorRevertClients(url);
  const { iam } = clients;
  const userName = uniqueName('stolen');
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const accessKeyId = AccessKey!.AccessKeyId!;
  let at = NEWEST.getTime();
  const next = () => new Date((at -= 1000));
  const by = { accessKeyId, userName };
  const timeline: Record<string, CloudTrailRecord[]> = Object.fromEntries(REGIONS.map((r) => [r, []]));

  // eu-west-1: a GPU instance launched.
  const euEc2 = clients.ec2('eu-west-1');
  const { Images } = await euEc2.send(new DescribeImagesCommand({}));
  const { Instances } = await euEc2.send(
    new RunInstancesCommand({
      ImageId: Images![0].ImageId!,
      InstanceType: 'g5.xlarge',
      MinCount: 1,
      MaxCount: 1,
    }),
  );
  const instanceId = Instances![0].InstanceId!;
  timeline['eu-west-1'].push(
    cloudTrailRecord({
      ...by,
      region: 'eu-west-1',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      time: next(),
      requestParameters: {
        instancesSet: { items: [{ imageId: Images![0].ImageId!, minCount: 1, maxCount: 1 }] },
        instanceType: 'g5.xlarge',
      },
      responseElements: {
        reservationId: 'r-0123456789abcdef0',
        ownerId: RECORD_ACCOUNT,
        instancesSet: { items: [{ instanceId, imageId: Images![0].ImageId!, instanceType: 'g5.xlarge' }] },
      },
    }),
  );

  // us-east-1: SSH opened to the world on a group of the default VPC.
  const usEc2 = clients.ec2('us-east-1');
  const { GroupId } = await usEc2.send(
    new CreateSecurityGroupCommand({ GroupName: uniqueName('app'), Description: 'app' }),
  );
  const groupId = GroupId!;
  const { SecurityGroupRules } = await usEc2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  const ruleId = SecurityGroupRules![0].SecurityGroupRuleId!;
  timeline['us-east-1'].push(
    cloudTrailRecord({
      ...by,
      region: 'us-east-1',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'AuthorizeSecurityGroupIngress',
      time: next(),
      requestParameters: {
        groupId,
        ipPermissions: {
          items: [
            { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } },
          ],
        },
      },
      responseElements: {
        requestId: 'b5d1d0d4-0000-4000-a000-000000000001',
        _return: true,
        securityGroupRuleSet: {
          items: [
            {
              groupOwnerId: RECORD_ACCOUNT,
              groupId,
              securityGroupRuleId: ruleId,
              isEgress: false,
              ipProtocol: 'tcp',
              fromPort: 22,
              toPort: 22,
              cidrIpv4: '0.0.0.0/0',
            },
          ],
        },
      },
    }),
  );

  // IAM (us-east-1, global): a backdoor user with a key.
  const backdoorUser = uniqueName('backdoor');
  await iam.send(new CreateUserCommand({ UserName: backdoorUser }));
  const planted = await iam.send(new CreateAccessKeyCommand({ UserName: backdoorUser }));
  const plantedKey = planted.AccessKey!.AccessKeyId!;
  timeline['us-east-1'].push(
    cloudTrailRecord({
      ...by,
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      time: next(),
      requestParameters: { userName: backdoorUser },
      responseElements: {
        user: {
          path: '/',
          userName: backdoorUser,
          userId: 'AIDAEXAMPLEBACKDOOR01',
          arn: `arn:aws:iam::${RECORD_ACCOUNT}:user/${backdoorUser}`,
          createDate: 'Dec 1, 2026, 11:59:00 AM',
        },
      },
    }),
    cloudTrailRecord({
      ...by,
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateAccessKey',
      time: next(),
      requestParameters: { userName: backdoorUser },
      responseElements: {
        accessKey: {
          userName: backdoorUser,
          accessKeyId: plantedKey,
          status: 'Active',
          createDate: 'Dec 1, 2026, 11:59:01 AM',
        },
      },
    }),
  );

  // ap-southeast-2: the trail stopped.
  const s3 = new S3Client({ ...emulatorClientConfig(url, 'ap-southeast-2'), forcePathStyle: true });
  const bucket = uniqueName('trail-logs').toLowerCase();
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' },
    }),
  );
  const cloudtrail = new CloudTrailClient(emulatorClientConfig(url, 'ap-southeast-2'));
  const trailName = uniqueName('org-trail');
  const trail = await cloudtrail.send(
    new CreateTrailCommand({ Name: trailName, S3BucketName: bucket, IsMultiRegionTrail: true }),
  );
  const trailArn = trail.TrailARN!;
  // moto takes trail names only (an ARN answers HTTP 500); the record names the ARN, as AWS's may.
  await cloudtrail.send(new StartLoggingCommand({ Name: trailName }));
  await cloudtrail.send(new StopLoggingCommand({ Name: trailName }));
  timeline['ap-southeast-2'].push(
    cloudTrailRecord({
      ...by,
      region: 'ap-southeast-2',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      time: next(),
      requestParameters: { name: trailArn },
      responseElements: null,
    }),
  );

  // us-east-1: a role assumed, whose session then writes elsewhere.
  const assumedRole = uniqueName('deployer');
  await iam.send(new CreateRoleCommand({ RoleName: assumedRole, AssumeRolePolicyDocument: TRUST }));
  const sessionKey =
    `ASIA${accessKeyId.slice(4, 8)}SESSION${String(Date.now() % 100000).padStart(5, '0')}`.slice(0, 20);
  timeline['us-east-1'].push(
    cloudTrailRecord({
      ...by,
      region: 'us-east-1',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      time: next(),
      requestParameters: {
        roleArn: `arn:aws:iam::${RECORD_ACCOUNT}:role/${assumedRole}`,
        roleSessionName: 'x',
      },
      responseElements: {
        credentials: {
          accessKeyId: sessionKey,
          sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE',
          expiration: 'Dec 1, 2026, 1:00:00 PM',
        },
        assumedRoleUser: {
          assumedRoleId: 'AROAEXAMPLEROLEID0001:x',
          arn: `arn:aws:sts::${RECORD_ACCOUNT}:assumed-role/${assumedRole}/x`,
        },
      },
    }),
  );
  // The session's own timeline: a write nothing reverts (needs review).
  timeline['eu-west-1'].push(
    cloudTrailRecord({
      accessKeyId: sessionKey,
      userName: 'x',
      session: { roleName: assumedRole, sessionName: 'x' },
      region: 'eu-west-1',
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketTagging',
      time: next(),
      requestParameters: {
        bucketName: 'customer-exports',
        Tagging: { TagSet: { Tag: { Key: 'x', Value: 'y' } } },
      },
    }),
  );
  // Writes nothing reverts, and reads (skipped) to make several pages in every region.
  for (const region of REGIONS) {
    timeline[region].push(
      cloudTrailRecord({
        ...by,
        region,
        eventSource: 'ec2.amazonaws.com',
        eventName: 'CreateKeyPair',
        time: next(),
        requestParameters: { keyName: `attacker-${region}` },
      }),
    );
    for (let n = 0; n < FILLER_PER_REGION; n++) {
      timeline[region].push(
        cloudTrailRecord({
          ...by,
          region,
          eventSource: 'ec2.amazonaws.com',
          eventName: 'DescribeInstances',
          readOnly: true,
          time: next(),
          requestParameters: { instancesSet: {}, filterSet: {} },
        }),
      );
    }
  }
  return {
    accessKeyId,
    userName,
    instanceId,
    groupId,
    ruleId,
    backdoorUser,
    plantedKey,
    trailArn,
    assumedRole,
    sessionKey,
    timeline,
  };
}

describe('the sweep, on the emulator with LookupEvents from a fixture', () => {
  let fixture: CloudTrailFixture;
  let staged: Staged;
  const url = sharedMotoUrl();
  const clients = emulatorRevertClients(url);
  const config: CordonConfig = parseConfig({});
  const own = ownDeploymentOf(config, RECORD_ACCOUNT);

  beforeAll(async () => {
    staged = await stageAttack(url);
    fixture = await CloudTrailFixture.start({ timeline: staged.timeline, requestsPerSecond: 2 });
  });
  afterAll(() => fixture?.stop());

  function deps(store: LocalIncidentStore, overrides: Partial<SweepDependencies> = {}): SweepDependencies {
    return {
      clients,
      cloudtrail: lookupEventsClients({
        endpoint: fixture.url,
        credentials: emulatorClientConfig(url).credentials,
      }),
      store,
      config,
      own,
      regions: () => Promise.resolve({ regions: REGIONS }),
      limiters: new RegionRateLimiters(),
      ...overrides,
    };
  }

  const start = (dryRun: boolean) => ({
    accessKeyId: staged.accessKeyId,
    userName: staged.userName,
    firstSeen: NEWEST,
    dryRun,
    since: new Date(NEWEST.getTime() - 3_600_000),
  });

  async function instanceState(ec2: EC2Client): Promise<string | undefined> {
    const answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [staged.instanceId] }));
    return answer.Reservations?.[0]?.Instances?.[0]?.State?.Name;
  }
  async function ingressRuleExists(): Promise<boolean> {
    const answer = await clients
      .ec2('us-east-1')
      .send(
        new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [staged.groupId] }] }),
      );
    // Restore authorizes the rule again, under a new id: the same rule is the same port and source.
    return (answer.SecurityGroupRules ?? []).some(
      (rule) => !rule.IsEgress && rule.FromPort === 22 && rule.CidrIpv4 === '0.0.0.0/0',
    );
  }
  async function plantedKeyStatus(): Promise<string | undefined> {
    const { AccessKeyMetadata } = await clients.iam.send(
      new ListAccessKeysCommand({ UserName: staged.backdoorUser }),
    );
    return AccessKeyMetadata?.find((key) => key.AccessKeyId === staged.plantedKey)?.Status;
  }
  async function trailLogging(): Promise<boolean | undefined> {
    const status = await clients
      .cloudtrail('ap-southeast-2')
      .send(new GetTrailStatusCommand({ Name: staged.trailArn.split('/').pop() }));
    return status.IsLogging;
  }
  async function backdoorPolicies(): Promise<readonly string[]> {
    const { PolicyNames } = await clients.iam.send(
      new ListUserPoliciesCommand({ UserName: staged.backdoorUser }),
    );
    return PolicyNames ?? [];
  }
  async function roleRevoked(): Promise<boolean> {
    try {
      await clients.iam.send(
        new GetRolePolicyCommand({ RoleName: staged.assumedRole, PolicyName: 'AWSRevokeOlderSessions' }),
      );
      return true;
    } catch {
      return false;
    }
  }

  let dryRunState: SweepState;
  let realState: SweepState;
  const real = useTempDir('cordon-sweep-real-', { per: 'all' });
  const scratch = useTempDir('cordon-sweep-');
  const incidentId = 'inc-sweep-real';

  it('a dry run lists what it would revert and changes nothing', async () => {
    const store = new LocalIncidentStore({ cwd: scratch() });
    dryRunState = await runSweep(
      { incidentId: 'inc-sweep-dry', start: start(true), shouldStop: () => false },
      deps(store),
    );
    expect(dryRunState.done).toBe(true);
    expect(dryRunState.actions.length).toBeGreaterThanOrEqual(5);
    expect(dryRunState.actions.every((a) => a.dryRun)).toBe(true);
    expect(
      dryRunState.actions
        .flatMap((a): readonly ActionOutcome[] => a.outcomes)
        .filter((o) => o.status !== 'planned' && o.status !== 'already-done')
        .map((o) => o.action),
      // moto has no ListServiceSpecificCredentials: the created user's containment cannot list them.
    ).toEqual(['deactivate-service-specific-credential']);
    await expect(instanceState(clients.ec2('eu-west-1'))).resolves.toBe('running');
    await expect(ingressRuleExists()).resolves.toBe(true);
    await expect(plantedKeyStatus()).resolves.toBe('Active');
    await expect(trailLogging()).resolves.toBe(false);
    await expect(backdoorPolicies()).resolves.toEqual([]);
    await expect(roleRevoked()).resolves.toBe(false);
  });

  it('the real sweep stops the instance, revokes the rule, deactivates the planted key, contains the new user, restarts the trail, revokes the assumed role and lists the rest for review', async () => {
    const store = new LocalIncidentStore({ cwd: real() });
    const before = fixture.allStats();
    realState = await runSweep({ incidentId, start: start(false), shouldStop: () => false }, deps(store));
    expect(realState.done).toBe(true);
    expect(realState.errors).toEqual([]);
    await expect(instanceState(clients.ec2('eu-west-1'))).resolves.toMatch(/^(stopping|stopped)$/);
    await expect(ingressRuleExists()).resolves.toBe(false);
    await expect(plantedKeyStatus()).resolves.toBe('Inactive');
    await expect(trailLogging()).resolves.toBe(true);
    await expect(backdoorPolicies()).resolves.toContain('cordon-deny-all');
    await expect(roleRevoked()).resolves.toBe(true);
    // The session key made by AssumeRole was swept too, one hop from the incident's key.
    // The planted key (CreateAccessKey) and the session key (AssumeRole) were swept too, one hop
    // from the incident's key.
    expect(realState.credentials.map((c) => [c.accessKeyId, c.depth]).sort()).toEqual(
      [
        [staged.accessKeyId, 0],
        [staged.plantedKey, 1],
        [staged.sessionKey, 1],
      ].sort(),
    );
    const review = Object.fromEntries(
      realState.needsReview.map((g) => [g.service, g.events.map((e) => e.eventName)]),
    );
    expect(review.ec2).toEqual(['CreateKeyPair', 'CreateKeyPair', 'CreateKeyPair']);
    expect(review.s3).toEqual(['PutBucketTagging']);
    // Every region read to the end, several pages each, each page once per query.
    for (const region of REGIONS) {
      expect(realState.byRegion[region].pagesRead).toBeGreaterThanOrEqual(3);
      expect(realState.byRegion[region].eventsRead).toBe(
        staged.timeline[region].filter(
          (r) => (r.userIdentity as { accessKeyId: string }).accessKeyId !== staged.sessionKey,
        ).length +
          // the session's events, read by its own query
          staged.timeline[region].filter(
            (r) => (r.userIdentity as { accessKeyId: string }).accessKeyId === staged.sessionKey,
          ).length +
          // the events by user name (console activity) read again, then skipped: made with the swept key
          staged.timeline[region].filter(
            (r) => (r.userIdentity as { userName?: string }).userName === staged.userName,
          ).length,
      );
    }
    const after = fixture.allStats();
    const pages = (stats: typeof after) => Object.values(stats).reduce((n, s) => n + s.pages, 0);
    expect(pages(after) - pages(before)).toBe(
      Object.values(realState.byRegion).reduce((n, t) => n + t.pagesRead, 0),
    );
  });

  it('a second sweep finds everything already done', async () => {
    const store = new LocalIncidentStore({ cwd: scratch() });
    const again = await runSweep(
      { incidentId: 'inc-sweep-again', start: start(false), shouldStop: () => false },
      deps(store),
    );
    const outcomes = again.actions.flatMap((a): readonly ActionOutcome[] => a.outcomes);
    expect(outcomes.length).toBeGreaterThan(0);
    // Only the tags change hands: the user and the role now name the later incident.
    expect(outcomes.filter((o) => o.status === 'done').map((o) => o.action)).toEqual([
      'tag-user',
      'tag-role',
    ]);
  });

  it('cordon restore of the sweep puts the attacker changes back', async () => {
    const store = new LocalIncidentStore({ cwd: real() });
    const restore = await restoreIncident({
      iam: clients.iam,
      ec2: clients.ec2,
      services: clients,
      store,
      incidentId,
    });
    expect(restore.results.length).toBeGreaterThanOrEqual(4);
    await expect(ingressRuleExists()).resolves.toBe(true);
    await expect(plantedKeyStatus()).resolves.toBe('Active');
    await expect(trailLogging()).resolves.toBe(false);
    await expect(instanceState(clients.ec2('eu-west-1'))).resolves.toMatch(/^(pending|running)$/);
  });
});

describe('a sweep cut off mid-timeline, continued in a fresh run', () => {
  const url = sharedMotoUrl();
  const clients = emulatorRevertClients(url);
  const config: CordonConfig = parseConfig({});
  const dir = useTempDir('cordon-sweep-cut-');
  let fixture: CloudTrailFixture;
  afterEach(() => fixture?.stop());

  it('finishes from the saved state with no event missed and no change reverted twice', async () => {
    const userName = uniqueName('stolen');
    await clients.iam.send(new CreateUserCommand({ UserName: userName }));
    const { AccessKey } = await clients.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const accessKeyId = AccessKey!.AccessKeyId!;
    const by = { accessKeyId, userName };
    let at = NEWEST.getTime();
    const next = () => new Date((at -= 1000));
    const timeline: Record<string, CloudTrailRecord[]> = { 'us-east-1': [], 'eu-west-1': [] };
    const planted: string[] = [];
    // Planted keys spread through the pages: one every 40 events.
    for (let n = 0; n < 160; n++) {
      if (n % 40 === 5) {
        const owner = uniqueName('planted');
        await clients.iam.send(new CreateUserCommand({ UserName: owner }));
        const key = await clients.iam.send(new CreateAccessKeyCommand({ UserName: owner }));
        planted.push(key.AccessKey!.AccessKeyId!);
        timeline['us-east-1'].push(
          cloudTrailRecord({
            ...by,
            region: 'us-east-1',
            eventSource: 'iam.amazonaws.com',
            eventName: 'CreateAccessKey',
            time: next(),
            requestParameters: { userName: owner },
            responseElements: {
              accessKey: {
                userName: owner,
                accessKeyId: key.AccessKey!.AccessKeyId!,
                status: 'Active',
                createDate: 'Dec 1, 2026, 11:00:00 AM',
              },
            },
          }),
        );
        continue;
      }
      for (const region of ['us-east-1', 'eu-west-1']) {
        timeline[region].push(
          cloudTrailRecord({
            ...by,
            region,
            eventSource: 'ec2.amazonaws.com',
            eventName: 'DescribeVpcs',
            readOnly: true,
            time: next(),
          }),
        );
      }
    }
    fixture = await CloudTrailFixture.start({ timeline, requestsPerSecond: 2 });
    const store = new LocalIncidentStore({ cwd: dir() });
    let pages = 0;
    const sweepDeps: SweepDependencies = {
      clients,
      cloudtrail: lookupEventsClients({
        endpoint: fixture.url,
        credentials: emulatorClientConfig(url).credentials,
      }),
      store,
      config: parseConfig({ sweep: { derivedCredentialDepth: 0 } }),
      own: ownDeploymentOf(config, RECORD_ACCOUNT),
      regions: () => Promise.resolve({ regions: ['eu-west-1', 'us-east-1'] }),
      limiters: new RegionRateLimiters(),
      onProgress: () => void (pages += 1),
    };
    const start = {
      accessKeyId,
      firstSeen: NEWEST,
      dryRun: false,
      since: new Date(NEWEST.getTime() - 86_400_000),
    };
    // The first run's budget ends after three pages (a Lambda invocation running out of time).
    const first = await runSweep({ incidentId: 'inc-cut', start, shouldStop: () => pages >= 3 }, sweepDeps);
    expect(first.done).toBe(false);
    expect(first.runs).toBe(1);
    const firstDone = first.actions.length;
    expect(firstDone).toBeGreaterThan(0);
    expect(firstDone).toBeLessThan(planted.length);
    // A fresh run (another invocation: new limiters, state from the store only).
    const second = await runSweep(
      { incidentId: 'inc-cut', shouldStop: () => false },
      { ...sweepDeps, limiters: new RegionRateLimiters() },
    );
    expect(second).toMatchObject({ done: true, runs: 2, errors: [] });
    const targets = second.actions.map((a) => a.subject);
    expect(new Set(targets).size).toBe(targets.length);
    expect(second.actions).toHaveLength(planted.length);
    expect(second.actions.flatMap((a): readonly ActionOutcome[] => a.outcomes).map((o) => o.status)).toEqual(
      planted.map(() => 'done'),
    );
    for (const region of ['us-east-1', 'eu-west-1']) {
      expect(second.byRegion[region].eventsRead).toBe(timeline[region].length);
      expect(second.byRegion[region].pagesRead).toBe(fixture.statsOf(region).pages);
    }
    for (const key of planted) {
      const owner = (
        timeline['us-east-1'].find(
          (r) =>
            (r.responseElements as { accessKey?: { accessKeyId: string } } | null)?.accessKey?.accessKeyId ===
            key,
        )!.requestParameters as { userName: string }
      ).userName;
      const { AccessKeyMetadata } = await clients.iam.send(new ListAccessKeysCommand({ UserName: owner }));
      expect(AccessKeyMetadata?.[0]?.Status).toBe('Inactive');
    }
  });
});
