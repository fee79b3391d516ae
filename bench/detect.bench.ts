/**
 * `cordon detect` over a backtest of 100,000 CloudTrail records: generated (a fixed seed, so every
 * run reads the same records) into gzipped CloudTrail log files in a temporary folder, then read,
 * parsed, matched and written out in this process by the command itself, its stdout counted and
 * dropped. Prints events per second and the peak resident set size of the process.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { runDetect } from '../lambda/cli/commands/detect';
import type { Benchmark } from './run';

const RECORDS = 100_000;
/** CloudTrail delivers a file per region about every 5 minutes; busy accounts write a few thousand records to each. */
const RECORDS_PER_FILE = 2_500;
const ACCOUNT = '123456789012';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

type Json = Record<string, unknown>;

/** mulberry32: a small seeded generator, so the records are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(20240912);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
const keyId = (prefix: 'AKIA' | 'ASIA') =>
  prefix + Array.from({ length: 16 }, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'])).join('');

const USERS = ['ci-deployer', 'alice', 'bob', 'reporting', 'terraform'].map((userName) => ({
  type: 'IAMUser',
  principalId: `AIDA${hex(16).toUpperCase()}`,
  arn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
  accountId: ACCOUNT,
  accessKeyId: keyId('AKIA'),
  userName,
}));

const ROLES = ['app-server', 'batch-worker', 'AWSReservedSSO_Admin_0123456789abcdef'].map((roleName) => ({
  type: 'AssumedRole',
  principalId: `AROA${hex(16).toUpperCase()}:session-${hex(6)}`,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/session-${hex(6)}`,
  accountId: ACCOUNT,
  accessKeyId: keyId('ASIA'),
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: `AROA${hex(16).toUpperCase()}`,
      arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
      accountId: ACCOUNT,
      userName: roleName,
    },
    attributes: { creationDate: '2024-09-12T08:00:00Z', mfaAuthenticated: 'false' },
  },
}));

const SERVICES = ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'cloudformation.amazonaws.com'];

function identity(): Json {
  const roll = random();
  if (roll < 0.35) return pick(USERS);
  if (roll < 0.85) return pick(ROLES);
  return { type: 'AWSService', invokedBy: pick(SERVICES) };
}

/** One kind of call: its weight, source, name, whether read-only, and its request. */
interface CallKind {
  readonly weight: number;
  readonly source: string;
  readonly name: string;
  readonly readOnly: boolean;
  readonly request: () => Json | null;
  readonly response?: () => Json | null;
}

const CALLS: readonly CallKind[] = [
  {
    weight: 30,
    source: 'ec2',
    name: 'DescribeInstances',
    readOnly: true,
    request: () => ({ instancesSet: {} }),
  },
  { weight: 15, source: 'sts', name: 'GetCallerIdentity', readOnly: true, request: () => null },
  {
    weight: 12,
    source: 'kms',
    name: 'Decrypt',
    readOnly: true,
    request: () => ({ encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
  },
  {
    weight: 10,
    source: 's3',
    name: 'ListBuckets',
    readOnly: true,
    request: () => ({ host: ['s3.amazonaws.com'] }),
  },
  {
    weight: 8,
    source: 'ssm',
    name: 'GetParameter',
    readOnly: true,
    request: () => ({ name: `/app/${hex(4)}`, withDecryption: true }),
  },
  {
    weight: 8,
    source: 'sts',
    name: 'AssumeRole',
    readOnly: false,
    request: () => ({
      roleArn: `arn:aws:iam::${ACCOUNT}:role/batch-worker`,
      roleSessionName: `session-${hex(6)}`,
    }),
  },
  {
    weight: 5,
    source: 'ec2',
    name: 'CreateTags',
    readOnly: false,
    request: () => ({
      resourcesSet: { items: [{ resourceId: `i-${hex(17)}` }] },
      tagSet: { items: [{ key: 'team', value: 'data' }] },
    }),
  },
  {
    weight: 4,
    source: 'ec2',
    name: 'RunInstances',
    readOnly: false,
    // Mostly ordinary types; now and then a GPU instance (ec2-unusual-instance-type-launched).
    request: () => ({
      instanceType: random() < 0.02 ? 'p4d.24xlarge' : pick(['t3.micro', 'm7g.large', 'c6i.xlarge']),
    }),
  },
  {
    weight: 3,
    source: 'ec2',
    name: 'AuthorizeSecurityGroupIngress',
    readOnly: false,
    // Mostly office ranges; now and then the whole Internet (security-group-opened-to-world).
    request: () => ({
      groupId: `sg-${hex(17)}`,
      ipPermissions: {
        items: [
          {
            ipProtocol: 'tcp',
            fromPort: 22,
            toPort: 22,
            ipRanges: { items: [{ cidrIp: random() < 0.05 ? '0.0.0.0/0' : '203.0.113.0/24' }] },
          },
        ],
      },
    }),
  },
  {
    weight: 2,
    source: 'iam',
    name: 'AttachRolePolicy',
    readOnly: false,
    request: () => ({
      roleName: 'batch-worker',
      policyArn: `arn:aws:iam::aws:policy/${random() < 0.05 ? 'AdministratorAccess' : 'ReadOnlyAccess'}`,
    }),
  },
  {
    weight: 0.3,
    source: 'iam',
    name: 'CreateAccessKey',
    readOnly: false,
    request: () => ({ userName: pick(USERS).userName }),
  },
  {
    weight: 1,
    source: 'lambda',
    name: 'UpdateFunctionCode20150331v2',
    readOnly: false,
    request: () => ({ functionName: 'report-builder', publish: true }),
  },
  {
    weight: 0.05,
    source: 'cloudtrail',
    name: 'StopLogging',
    readOnly: false,
    request: () => ({ name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events` }),
  },
];
const TOTAL_WEIGHT = CALLS.reduce((sum, call) => sum + call.weight, 0);

function pickCall(): CallKind {
  let roll = random() * TOTAL_WEIGHT;
  for (const call of CALLS) {
    roll -= call.weight;
    if (roll < 0) return call;
  }
  return CALLS[0];
}

function record(index: number, start: number): Json {
  const call = pickCall();
  const who = identity();
  const service = who.type === 'AWSService' && typeof who.invokedBy === 'string' ? who.invokedBy : undefined;
  const region = call.source === 'iam' ? 'us-east-1' : pick(REGIONS);
  const denied = service === undefined && random() < 0.03;
  return {
    eventVersion: '1.09',
    userIdentity: who,
    eventTime: new Date(start + index * 250).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: `${call.source}.amazonaws.com`,
    eventName: call.name,
    awsRegion: region,
    sourceIPAddress: service ?? pick(['203.0.113.10', '198.51.100.7', '192.0.2.44']),
    userAgent: service ?? 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0',
    ...(denied
      ? { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform this operation' }
      : {}),
    requestParameters: call.request(),
    responseElements: call.response?.() ?? null,
    requestID: uuid(),
    eventID: uuid(),
    readOnly: call.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}

/** Writes the records as gzipped CloudTrail log files under folder; returns how many files. */
function writeLogFiles(folder: string, count: number): number {
  const start = Date.parse('2024-09-12T00:00:00Z');
  let files = 0;
  for (let first = 0; first < count; first += RECORDS_PER_FILE) {
    const records = Array.from({ length: Math.min(RECORDS_PER_FILE, count - first) }, (_, offset) =>
      record(first + offset, start),
    );
    const day = join(folder, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', '2024', '09', '12');
    mkdirSync(day, { recursive: true });
    const name = `${ACCOUNT}_CloudTrail_us-east-1_20240912T${String(files).padStart(4, '0')}Z_${hex(16)}.json.gz`;
    writeFileSync(join(day, name), gzipSync(JSON.stringify({ Records: records })));
    files += 1;
  }
  return files;
}

export const detectBenchmark: Benchmark = {
  name: 'detect',
  async run() {
    const folder = mkdtempSync(join(tmpdir(), 'cordon-bench-detect-'));
    try {
      writeLogFiles(folder, RECORDS);
      let outputLines = 0;
      let summary = '';
      const io = {
        stdout: {
          write: (text: string) => {
            for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) outputLines += 1;
            return true;
          },
        },
        stderr: { write: (text: string) => (summary += text) },
        stdin: Readable.from([]),
        env: {},
        cwd: folder, // no cordon.config.json there: the defaults
      };
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const code = await runDetect([folder], io);
      const cpu = process.cpuUsage(cpuBefore);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0 || outputLines !== RECORDS) {
        throw new Error(
          `detect exited ${code} with ${outputLines} output lines for ${RECORDS} records:\n${summary}`,
        );
      }
      const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      const rate = Math.round(RECORDS / seconds);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      if (process.env.BENCH_VERBOSE) process.stderr.write(summary);
      // CPU time beside wall time: on a busy machine the wall time says more about the neighbours.
      return (
        `detect: ${RECORDS} records in ${seconds.toFixed(2)} s = ${rate} events/s, peak RSS ${peakRssMb} MB ` +
        `(CPU ${cpuSeconds.toFixed(2)} s)`
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
