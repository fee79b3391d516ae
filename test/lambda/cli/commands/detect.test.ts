import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { COMMANDS } from '../../../../lambda/cli/commands';
import { runDetect, type DetectResult } from '../../../../lambda/cli/commands/detect';
import { runCli } from '../../../../lambda/cli/main';
import type { CliIo } from '../../../../lambda/cli/usage';
import { wrapCloudTrailRecord } from '../../../../lambda/signal/envelope';
import { PROJECT_ROOT, runCordon } from '../../../support/cli';
import { useTempDir } from '../../../support/temp-dir';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'cli');
const FINDING = join(FIXTURES, 'guardduty-malicious-ip-caller.json');
const LOG_FILE = join(FIXTURES, 'cloudtrail-log-file.json');
const BAD_LINE_JSONL = join(FIXTURES, 'events-with-bad-line.jsonl');
const RECORDS = (JSON.parse(readFileSync(LOG_FILE, 'utf8')) as { Records: Record<string, unknown>[] })
  .Records;

const tempDir = useTempDir('cordon-detect-');
let dir: string;
beforeEach(() => {
  dir = tempDir();
});

/** A folder of logs with one good file, one that is not JSON and one corrupt gzip file. */
function folderWithBadFiles(): void {
  mkdirSync(join(dir, 'logs'));
  const gz = gzipSync(JSON.stringify({ Records: RECORDS }));
  writeFileSync(join(dir, 'logs', 'a-truncated.json.gz'), gz.subarray(0, gz.length / 2));
  writeFileSync(join(dir, 'logs', 'b-trail.json'), JSON.stringify({ Records: RECORDS }));
  writeFileSync(join(dir, 'logs', 'c-README.txt'), 'These are CloudTrail logs.\n');
}

interface BufferRun {
  readonly io: CliIo;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** How many times the command wrote to stdout. */
  readonly stdoutWrites: () => number;
}

function bufferIo(stdin: string | Buffer = ''): BufferRun {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      stdin: Readable.from(stdin === '' ? [] : [stdin]),
      env: {},
      cwd: dir,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    stdoutWrites: () => out.length,
  };
}

async function detect(args: string[], stdin?: string | Buffer): Promise<BufferRun & { code: number }> {
  const run = bufferIo(stdin);
  const code = await runCli(['detect', ...args], run.io, COMMANDS);
  return { ...run, code };
}

function results(stdout: string): DetectResult[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as DetectResult);
}

function detectionIds(result: DetectResult): string[] {
  return result.detections.map((detection) => detection.id);
}

describe('cordon detect, in process', () => {
  it('prints the detection and the signal of a GuardDuty MaliciousIPCaller finding', async () => {
    const run = await detect([FINDING]);
    expect(run.code).toBe(0);
    const [result, ...rest] = results(run.stdout());
    expect(rest).toEqual([]);
    expect(result.detections).toEqual([
      {
        id: 'guardduty-iam-credential-finding',
        title: 'GuardDuty finding on an access key',
        severity: 'high',
        response: 'contain',
      },
    ]);
    expect(result.rejection).toBeNull();
    expect(result.signal).toMatchObject({
      kind: 'signal',
      source: 'guardduty',
      findingType: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
      accountId: '123456789012',
      accessKeyId: 'AKIAZ7EXAMPLEKEY0001',
      credentialKind: 'long-term',
      sourceIp: '198.51.100.23',
      principal: { type: 'IAMUser', userName: 'build-bot' },
    });
    expect(run.stderr()).toContain('guardduty-iam-credential-finding  1');
  });

  it('reads every record of a CloudTrail log file, wrapped as EventBridge delivers it', async () => {
    const run = await detect([LOG_FILE]);
    expect(run.code).toBe(0);
    const lines = results(run.stdout());
    expect(lines.map(detectionIds)).toEqual([
      [],
      ['cloudtrail-logging-tampered'],
      ['root-console-login'],
      [],
    ]);
    expect(lines.map((line) => line.signal?.eventName ?? null)).toEqual([
      'DescribeInstances',
      'StopLogging',
      'ConsoleLogin',
      null,
    ]);
    // The envelope id is the one wrapCloudTrailRecord derives, as for any other caller of the matcher.
    expect(lines[1].signal?.eventId).toBe(wrapCloudTrailRecord(RECORDS[1]).id);
    expect(lines[3].rejection).toMatchObject({ kind: 'rejection', reason: 'aws-service-principal' });
  });

  it('prints a summary: events read, events matched per detection, rejections by reason', async () => {
    const run = await detect([LOG_FILE, FINDING]);
    expect(run.stderr()).toBe(
      [
        'cordon detect: read 5 events from 2 input files',
        '  4 signals, 1 rejection',
        '  events matched per detection (3 matched at least one):',
        '    cloudtrail-logging-tampered       1',
        '    guardduty-iam-credential-finding  1',
        '    root-console-login                1',
        '  rejections by reason:',
        '    aws-service-principal  1',
        '',
      ].join('\n'),
    );
  });

  it('gives {} a line with a rejection', async () => {
    const run = await detect(['-'], '{}\n');
    expect(run.code).toBe(0);
    const [result] = results(run.stdout());
    expect(result.detections).toEqual([]);
    expect(result.signal).toBeNull();
    expect(result.rejection).toMatchObject({ kind: 'rejection', reason: 'unknown-shape' });
    expect(result.rejection?.message).toContain('it has no keys');
  });

  it('honours --config: responses, disabled detections and honeytokens', async () => {
    writeFileSync(
      join(dir, 'strict.json'),
      JSON.stringify({
        honeytokenAccessKeyIds: ['AKIAZ7EXAMPLEKEY0001'],
        detections: {
          'cloudtrail-logging-tampered': { response: 'notify' },
          'root-console-login': { enabled: false },
        },
      }),
    );
    const run = await detect(['--config', 'strict.json', LOG_FILE]);
    expect(run.code).toBe(0);
    const lines = results(run.stdout());
    // Every call signed with the honeytoken matches, read-only ones included; root-console-login is off.
    expect(lines.map(detectionIds)).toEqual([
      ['honeytoken-used'],
      ['honeytoken-used', 'cloudtrail-logging-tampered'],
      [],
      [],
    ]);
    expect(lines[1].detections.find((d) => d.id === 'cloudtrail-logging-tampered')?.response).toBe('notify');
    expect(lines[1].detections.find((d) => d.id === 'honeytoken-used')?.response).toBe('contain');
  });

  it('reads cordon.config.json in the working folder when --config is not given', async () => {
    writeFileSync(join(dir, 'cordon.config.json'), JSON.stringify({ guardDutySeverityThreshold: 8 }));
    const run = await detect([FINDING]);
    // The finding's severity (5) is below the configured threshold.
    expect(results(run.stdout()).map(detectionIds)).toEqual([[]]);
  });

  it('exits 2 when --config names a missing file or an invalid configuration', async () => {
    const missing = await detect(['--config', 'nope.json', FINDING]);
    expect(missing.code).toBe(2);
    expect(missing.stderr()).toBe(
      `cordon detect: Cordon configuration file not found: ${join(dir, 'nope.json')} (named "nope.json" by --config). ` +
        'Only the default cordon.config.json, when no file is named, may be absent.\n',
    );
    expect(missing.stdout()).toBe('');

    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ guardDutySeverityThreshold: 11 }));
    const invalid = await detect(['--config=bad.json', FINDING]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr()).toContain('guardDutySeverityThreshold: 11 is not allowed');
  });

  it('exits 2 with a clear message for a missing input or one that is not JSON', async () => {
    const missing = await detect(['events.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr()).toBe('cordon detect: cannot read events.json: no such file\n');

    writeFileSync(join(dir, 'events.json'), 'id,name\n1,StopLogging\n');
    const notJson = await detect(['events.json']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr()).toMatch(
      /^cordon detect: events\.json is not JSON, JSON Lines, or a CloudTrail log file \(.+\)\n$/,
    );
  });

  it('exits 2 with the usage for a missing input name or an unknown option', async () => {
    const none = await detect([]);
    expect(none.code).toBe(2);
    expect(none.stderr()).toContain('cordon detect: no input');
    expect(none.stderr()).toContain('Usage: cordon detect');
    const unknown = await detect(['--fast', FINDING]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr()).toContain("unknown option '--fast'");
  });

  it('reports a bad JSON line with its file and number, processes the rest, counts it and exits 1', async () => {
    copyFileSync(BAD_LINE_JSONL, join(dir, 'events.jsonl'));
    const run = await detect(['events.jsonl']);
    expect(run.code).toBe(1);
    expect(run.stderr()).toMatch(/^events\.jsonl:4: not JSON: .+\n/);
    expect(run.stderr()).toContain('1 bad line skipped');
    expect(results(run.stdout()).map(detectionIds)).toEqual([
      ['guardduty-iam-credential-finding'],
      ['cloudtrail-logging-tampered'],
      [],
      ['root-console-login'],
    ]);
  });

  it('exits 1 for a bad JSON line on stdin too, after the other lines', async () => {
    const input = [JSON.stringify(RECORDS[1]), '{"eventName": "Trunc', JSON.stringify(RECORDS[2])].join('\n');
    const run = await detect(['-'], input);
    expect(run.code).toBe(1);
    expect(run.stderr()).toMatch(/^stdin:2: not JSON: .+\n/);
    expect(results(run.stdout()).map(detectionIds)).toEqual([
      ['cloudtrail-logging-tampered'],
      ['root-console-login'],
    ]);
  });

  it('exits 1 after processing the rest of a folder when a file in it is not JSON or is a corrupt gzip', async () => {
    folderWithBadFiles();
    const run = await detect(['logs']);
    expect(run.code).toBe(1);
    expect(results(run.stdout()).map(detectionIds)).toEqual([
      [],
      ['cloudtrail-logging-tampered'],
      ['root-console-login'],
      [],
    ]);
    const stderr = run.stderr();
    expect(stderr).toMatch(
      new RegExp(`^cordon detect: cannot read ${join('logs', 'a-truncated.json.gz')}: .+; skipped$`, 'm'),
    );
    expect(stderr).toMatch(
      new RegExp(
        `^cordon detect: ${join('logs', 'c-README.txt')} is not JSON, JSON Lines, or a CloudTrail log file \\(.+\\); skipped$`,
        'm',
      ),
    );
    expect(stderr).toContain(
      'cordon detect: read 4 events from 3 input files\n  2 files skipped (reported above)\n',
    );
  });

  it('exits 0 for a folder whose files are all usable', async () => {
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'trail.json'), JSON.stringify({ Records: RECORDS }));
    copyFileSync(FINDING, join(dir, 'logs', 'finding.json'));
    const run = await detect(['logs']);
    expect(run.code).toBe(0);
    expect(results(run.stdout())).toHaveLength(5);
  });

  it('says in its help what each exit status means', async () => {
    const run = await detect(['--help']);
    const exitStatus = run.stdout().slice(run.stdout().indexOf('Exit status:'));
    expect(exitStatus).toMatch(/^ {2}0 {2}all the input was read/m);
    expect(exitStatus).toMatch(
      /^ {2}1 {2}the input was read, but some of it could not be used and was skipped/m,
    );
    expect(exitStatus).toMatch(/^ {2}2 {2}an input named is missing/m);
  });

  it('writes stdout in chunks, not once per event', async () => {
    const jsonl = Array.from({ length: 3000 }, (_, index) =>
      JSON.stringify({
        ...RECORDS[1],
        eventID: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      }),
    ).join('\n');
    const run = await detect(['-'], jsonl);
    expect(results(run.stdout())).toHaveLength(3000);
    expect(run.stdoutWrites()).toBeGreaterThan(1);
    expect(run.stdoutWrites()).toBeLessThan(100);
  });

  it('stops reading, quietly and with exit 0, when the reader of stdout goes away', async () => {
    const jsonl = Array.from({ length: 2000 }, () => JSON.stringify(RECORDS[1])).join('\n');
    let writes = 0;
    const stdout = Object.assign(new EventEmitter(), {
      write: () => {
        writes += 1;
        stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        return false;
      },
    });
    const stderr: string[] = [];
    const io: CliIo = {
      stdout,
      stderr: { write: (text: string) => stderr.push(text) },
      stdin: Readable.from([jsonl]),
      env: {},
      cwd: dir,
    };
    expect(await runDetect(['-'], io)).toBe(0);
    expect(writes).toBe(1);
    expect(stderr).toEqual([]);
    expect(stdout.listenerCount('error')).toBe(0);
  });

  it('prints progress lines with --progress, as the clock passes 2 s, and none without it', async () => {
    const jsonl = Array.from({ length: 1024 }, () => JSON.stringify(RECORDS[1])).join('\n');
    let clock = 0;
    const now = () => (clock += 2500); // each reading of the clock is 2.5 s after the one before
    const withProgress = bufferIo(jsonl);
    expect(await runDetect(['--progress', '-'], withProgress.io, { now })).toBe(0);
    const progressLines = withProgress
      .stderr()
      .split('\n')
      .filter((line) => / events read, /.test(line));
    expect(progressLines.length).toBeGreaterThan(0);
    expect(progressLines[progressLines.length - 1]).toMatch(
      /^cordon detect: 1024 events read, 1024 matched, 1 files, \d+ events\/s$/,
    );

    const without = bufferIo(jsonl);
    expect(await runDetect(['-'], without.io, { now })).toBe(0);
    expect(without.stderr()).not.toMatch(/ events read, /);
  });
});

describe('cordon detect, the real binary', () => {
  it('prints the detection and a signal with the user name and access key id of a GuardDuty finding', async () => {
    copyFileSync(FINDING, join(dir, 'finding.json'));
    const run = await runCordon(['detect', 'finding.json'], { cwd: dir });
    expect(run.status).toBe(0);
    const [result] = results(run.stdout);
    expect(detectionIds(result)).toEqual(['guardduty-iam-credential-finding']);
    expect(result.signal?.principal.userName).toBe('build-bot');
    expect(result.signal?.accessKeyId).toBe('AKIAZ7EXAMPLEKEY0001');
  });

  it('prints a rejection for {} on stdin, not a stack trace', async () => {
    const run = await runCordon(['detect', '-'], { cwd: dir, input: '{}' });
    expect(run.status).toBe(0);
    expect(results(run.stdout)).toEqual([
      { detections: [], signal: null, rejection: expect.objectContaining({ reason: 'unknown-shape' }) },
    ]);
    expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('exits 2 for a missing file and for a file that is not JSON', async () => {
    const missing = await runCordon(['detect', 'events.json'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('cordon detect: cannot read events.json: no such file\n');

    writeFileSync(join(dir, 'events.json'), '<html>not an event</html>\n');
    const notJson = await runCordon(['detect', 'events.json'], { cwd: dir });
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toContain('events.json is not JSON, JSON Lines, or a CloudTrail log file');
  });

  it('reports a bad JSON line, processes the others and exits 1', async () => {
    copyFileSync(BAD_LINE_JSONL, join(dir, 'events.jsonl'));
    const run = await runCordon(['detect', 'events.jsonl'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^events\.jsonl:4: not JSON: /m);
    expect(results(run.stdout)).toHaveLength(4);
  });

  it('processes the rest of a folder holding a bad file and exits 1', async () => {
    folderWithBadFiles();
    const run = await runCordon(['detect', 'logs'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(results(run.stdout)).toHaveLength(4);
    expect(run.stderr).toContain('2 files skipped (reported above)');
    expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('reads a gzipped log file and a folder', async () => {
    mkdirSync(join(dir, 'AWSLogs', 'eu-west-1'), { recursive: true });
    mkdirSync(join(dir, 'AWSLogs', 'us-east-1'), { recursive: true });
    const gz = (records: unknown[]) => gzipSync(JSON.stringify({ Records: records }));
    writeFileSync(join(dir, 'AWSLogs', 'eu-west-1', 'part1.json.gz'), gz(RECORDS.slice(0, 2)));
    writeFileSync(join(dir, 'AWSLogs', 'us-east-1', 'part2.json.gz'), gz(RECORDS.slice(2)));
    writeFileSync(join(dir, 'single'), gz(RECORDS)); // no extension: gzip is told by its magic bytes

    const file = await runCordon(['detect', 'single'], { cwd: dir });
    expect(file.status).toBe(0);
    expect(results(file.stdout).map(detectionIds)).toEqual([
      [],
      ['cloudtrail-logging-tampered'],
      ['root-console-login'],
      [],
    ]);

    const folder = await runCordon(['detect', 'AWSLogs'], { cwd: dir });
    expect(folder.status).toBe(0);
    expect(folder.stdout).toBe(file.stdout);
    expect(folder.stderr).toContain('read 4 events from 2 input files');
  });

  it('exits 0 without a stack trace when piped into head', () => {
    const jsonl = Array.from({ length: 20000 }, () => JSON.stringify(RECORDS[1])).join('\n');
    writeFileSync(join(dir, 'many.jsonl'), jsonl);
    const binary = join(PROJECT_ROOT, 'bin', 'cordon-cli.js');
    const run = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${binary}" detect many.jsonl | head -c 100 >/dev/null; echo "status=\${PIPESTATUS[0]}"`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(run.stdout).toBe('status=0\n');
    expect(run.stderr).toBe('');
  });

  it('reads JSON Lines from stdin with -', async () => {
    const input = RECORDS.map((record) => JSON.stringify(record)).join('\n');
    const run = await runCordon(['detect', '-'], { cwd: dir, input });
    expect(run.status).toBe(0);
    expect(results(run.stdout).map(detectionIds)).toEqual([
      [],
      ['cloudtrail-logging-tampered'],
      ['root-console-login'],
      [],
    ]);
  });
});
