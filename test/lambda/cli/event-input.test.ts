import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  InputError,
  eventsOf,
  lines,
  readEventInputs,
  readOneEvent,
  toEvent,
  type InputItem,
} from '../../../lambda/cli/event-input';
import { wrapCloudTrailRecord, wrapGuardDutyFinding } from '../../../lambda/signal/envelope';
import { useTempDir } from '../../support/temp-dir';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'cli');
const LOG_FILE_TEXT = readFileSync(join(FIXTURES, 'cloudtrail-log-file.json'), 'utf8');
const RECORDS = (JSON.parse(LOG_FILE_TEXT) as { Records: Record<string, unknown>[] }).Records;
const FINDING_EVENT = JSON.parse(
  readFileSync(join(FIXTURES, 'guardduty-malicious-ip-caller.json'), 'utf8'),
) as {
  detail: Record<string, unknown>;
};

const tempDir = useTempDir('cordon-event-input-');
let dir: string;
beforeEach(() => {
  dir = tempDir();
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function read(inputs: string[], stdin: Iterable<Buffer | string> = []): Promise<InputItem[]> {
  return collect(readEventInputs(inputs, { cwd: dir, stdin: Readable.from(stdin) }));
}

function eventsIn(items: readonly InputItem[]): unknown[] {
  return items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
}

function eventNames(items: readonly InputItem[]): unknown[] {
  return eventsIn(items).map((event) => (event as { detail?: { eventName?: unknown } }).detail?.eventName);
}

describe('lines', () => {
  it('splits on LF and CRLF, drops a byte-order mark, and keeps a last line without a line end', async () => {
    const chunks = [Buffer.from('\uFEFFone\r\ntw'), Buffer.from('o\n\nthree')];
    expect(await collect(lines(Readable.from(chunks)))).toEqual(['one', 'two', '', 'three']);
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const bytes = Buffer.from('café\nnaïve\n', 'utf8');
    const chunks = [...bytes].map((byte) => Buffer.from([byte])); // one byte at a time
    expect(await collect(lines(Readable.from(chunks)))).toEqual(['café', 'naïve']);
  });

  it('joins a long line from many chunks', async () => {
    const long = 'x'.repeat(100_000);
    const chunks = Array.from({ length: 100 }, (_, index) => long.slice(index * 1000, (index + 1) * 1000));
    expect(await collect(lines(Readable.from([...chunks, '\nend'])))).toEqual([long, 'end']);
  });
});

describe('toEvent and eventsOf', () => {
  it('wraps a raw CloudTrail record as EventBridge does, and leaves an envelope as it is', () => {
    const wrapped = wrapCloudTrailRecord(RECORDS[1]);
    expect(toEvent(RECORDS[1])).toEqual(wrapped);
    expect(wrapped).toMatchObject({ source: 'aws.cloudtrail', 'detail-type': 'AWS API Call via CloudTrail' });
    expect(toEvent(wrapped)).toBe(wrapped);
    expect(toEvent(FINDING_EVENT)).toBe(FINDING_EVENT);
  });

  it('wraps a raw GuardDuty finding, and gives anything else unchanged', () => {
    expect(toEvent(FINDING_EVENT.detail)).toEqual(wrapGuardDutyFinding(FINDING_EVENT.detail));
    expect(toEvent({})).toEqual({});
    expect(toEvent('text')).toBe('text');
    expect(toEvent(null)).toBeNull();
  });

  it('gives each record of a CloudTrail log file, and each element of an array, wrapped', () => {
    const fromFile = [...eventsOf({ Records: RECORDS })].map((item) => item.event);
    expect(fromFile).toEqual(RECORDS.map(wrapCloudTrailRecord));
    const fromArray = [...eventsOf([RECORDS[0], FINDING_EVENT])].map((item) => item.event);
    expect(fromArray).toEqual([wrapCloudTrailRecord(RECORDS[0]), FINDING_EVENT]);
  });
});

describe('readEventInputs', () => {
  it('reads a pretty-printed event as one event', async () => {
    writeFileSync(join(dir, 'event.json'), JSON.stringify(FINDING_EVENT, null, 2));
    const items = await read(['event.json']);
    expect(items).toEqual([
      { kind: 'file', file: 'event.json' },
      { kind: 'event', event: FINDING_EVENT },
    ]);
  });

  it('reads a gzipped CloudTrail log file by its magic bytes, whatever its name', async () => {
    writeFileSync(join(dir, 'trail.json'), gzipSync(JSON.stringify({ Records: RECORDS })));
    const items = await read(['trail.json']);
    expect(eventsIn(items)).toEqual(RECORDS.map(wrapCloudTrailRecord));
  });

  it('reads a log file pretty-printed one record per line as one document', async () => {
    // The last record's line is a JSON object on its own: only two such lines in a row mean JSON Lines.
    const text = `{"Records": [\n${RECORDS.map((record) => JSON.stringify(record)).join(',\n')}\n]}\n`;
    writeFileSync(join(dir, 'trail.json'), text);
    const items = await read(['trail.json']);
    expect(items.filter((item) => item.kind === 'bad-line')).toEqual([]);
    expect(eventNames(items)).toEqual(['DescribeInstances', 'StopLogging', 'ConsoleLogin', 'AssumeRole']);
  });

  it('reads JSON Lines of envelopes and raw records, reporting a bad line with its number', async () => {
    const text = [
      JSON.stringify(wrapCloudTrailRecord(RECORDS[0])),
      '',
      '{"eventVersion": "1.09", "eventName": "Trunc',
      JSON.stringify(RECORDS[1]),
    ].join('\n');
    writeFileSync(join(dir, 'events.jsonl'), text);
    const items = await read(['events.jsonl']);
    expect(items.filter((item) => item.kind === 'bad-line')).toEqual([
      { kind: 'bad-line', file: 'events.jsonl', line: 3, message: expect.stringMatching(/^not JSON: .+/) },
    ]);
    expect(eventsIn(items)).toEqual([wrapCloudTrailRecord(RECORDS[0]), wrapCloudTrailRecord(RECORDS[1])]);
  });

  it('reads JSON Lines whose first line is bad', async () => {
    const text = ['not json at all', JSON.stringify(RECORDS[0]), JSON.stringify(RECORDS[1])].join('\n');
    writeFileSync(join(dir, 'events.jsonl'), text);
    const items = await read(['events.jsonl']);
    expect(
      items.filter((item) => item.kind === 'bad-line').map((item) => (item as { line: number }).line),
    ).toEqual([1]);
    expect(eventNames(items)).toEqual(['DescribeInstances', 'StopLogging']);
  });

  it('reads JSON Lines of two lines whose first is bad', async () => {
    writeFileSync(join(dir, 'events.jsonl'), `{"broken\n${JSON.stringify(RECORDS[1])}\n`);
    const items = await read(['events.jsonl']);
    expect(items.filter((item) => item.kind === 'bad-line')).toHaveLength(1);
    expect(eventNames(items)).toEqual(['StopLogging']);
  });

  it('reads gzipped JSON Lines from stdin, named stdin', async () => {
    const jsonl = RECORDS.map((record) => JSON.stringify(record)).join('\n') + '\n';
    const gz = gzipSync(jsonl);
    // Split inside the magic bytes: detection must not depend on the first chunk's size.
    const items = await read(['-'], [gz.subarray(0, 1), gz.subarray(1, 7), gz.subarray(7)]);
    expect(items[0]).toEqual({ kind: 'file', file: 'stdin' });
    expect(eventNames(items)).toEqual(['DescribeInstances', 'StopLogging', 'ConsoleLogin', 'AssumeRole']);
  });

  it('reads a folder recursively in name order, leaving out hidden entries and skipping files that are not JSON', async () => {
    mkdirSync(join(dir, 'logs', '2024', '09'), { recursive: true });
    mkdirSync(join(dir, 'logs', '.cache'));
    writeFileSync(
      join(dir, 'logs', '2024', '09', 'b.json.gz'),
      gzipSync(JSON.stringify({ Records: [RECORDS[1]] })),
    );
    writeFileSync(join(dir, 'logs', '2024', '09', 'a.json'), JSON.stringify({ Records: [RECORDS[0]] }));
    writeFileSync(join(dir, 'logs', '2024', 'z.jsonl'), JSON.stringify(RECORDS[2]) + '\n');
    writeFileSync(join(dir, 'logs', 'README.txt'), 'These are CloudTrail logs.\n');
    writeFileSync(join(dir, 'logs', '.cache', 'x.json'), JSON.stringify(RECORDS[3]));
    const items = await read(['logs']);
    expect(items.filter((item) => item.kind !== 'event')).toEqual([
      { kind: 'file', file: join('logs', '2024', '09', 'a.json') },
      { kind: 'file', file: join('logs', '2024', '09', 'b.json.gz') },
      { kind: 'file', file: join('logs', '2024', 'z.jsonl') },
      { kind: 'file', file: join('logs', 'README.txt') },
      {
        kind: 'skipped-file',
        file: join('logs', 'README.txt'),
        message: expect.stringContaining('is not JSON, JSON Lines, or a CloudTrail log file'),
      },
    ]);
    expect(eventNames(items)).toEqual(['DescribeInstances', 'StopLogging', 'ConsoleLogin']);
  });

  it('gives no events and no error for an empty file', async () => {
    writeFileSync(join(dir, 'empty.jsonl'), '\n\n');
    expect(await read(['empty.jsonl'])).toEqual([{ kind: 'file', file: 'empty.jsonl' }]);
  });

  it('refuses a missing file before reading anything', async () => {
    writeFileSync(join(dir, 'event.json'), JSON.stringify(FINDING_EVENT));
    await expect(read(['event.json', 'missing.json'])).rejects.toThrow(
      new InputError('cannot read missing.json: no such file'),
    );
  });

  it('refuses a named file that is not JSON, saying so on one line', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'line one\nline two\n');
    const failure = read(['notes.txt']);
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(
      /^notes\.txt is not JSON, JSON Lines, or a CloudTrail log file \([^\n]+\)$/,
    );
  });

  it('refuses a corrupt gzip file', async () => {
    const gz = gzipSync(JSON.stringify({ Records: RECORDS }));
    writeFileSync(join(dir, 'trail.json.gz'), gz.subarray(0, gz.length / 2));
    await expect(read(['trail.json.gz'])).rejects.toThrow(/^cannot read trail\.json\.gz: /);
  });
});

describe('readOneEvent', () => {
  const noStdin = () => Readable.from([]);
  const one = (path: string, stdin: Iterable<Buffer | string> = []) =>
    readOneEvent(path, { cwd: dir, stdin: Readable.from(stdin) });
  const refusal = async (promise: Promise<unknown>): Promise<unknown> => {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new Error('expected readOneEvent to refuse the input');
  };

  it('reads one EventBridge event from a file: a relative path against cwd, an absolute path as it is', async () => {
    writeFileSync(join(dir, 'event.json'), JSON.stringify(FINDING_EVENT, null, 2));
    expect(await one('event.json')).toEqual(FINDING_EVENT);
    const elsewhere = { cwd: join(dir, 'no-such-folder'), stdin: noStdin() };
    expect(await readOneEvent(join(dir, 'event.json'), elsewhere)).toEqual(FINDING_EVENT);
  });

  it('reads one event from standard input for -', async () => {
    const text = JSON.stringify(FINDING_EVENT);
    expect(await one('-', [text.slice(0, 10), text.slice(10)])).toEqual(FINDING_EVENT);
  });

  it('wraps a raw CloudTrail record and a raw GuardDuty finding exactly as cordon detect does', async () => {
    writeFileSync(join(dir, 'record.json'), JSON.stringify(RECORDS[1]));
    writeFileSync(join(dir, 'finding.json'), JSON.stringify(FINDING_EVENT.detail));
    const record = await one('record.json');
    expect(record).toEqual(wrapCloudTrailRecord(RECORDS[1]));
    expect([record]).toEqual(eventsIn(await read(['record.json'])));
    const finding = await one('finding.json');
    expect(finding).toEqual(wrapGuardDutyFinding(FINDING_EVENT.detail));
    expect([finding]).toEqual(eventsIn(await read(['finding.json'])));
  });

  it('takes a CloudTrail log file of one record and JSON Lines of one line, gzipped or not', async () => {
    writeFileSync(join(dir, 'trail.json.gz'), gzipSync(JSON.stringify({ Records: [RECORDS[2]] })));
    expect(await one('trail.json.gz')).toEqual(wrapCloudTrailRecord(RECORDS[2]));
    expect(await one('-', [`\n${JSON.stringify(RECORDS[0])}\n\n`])).toEqual(wrapCloudTrailRecord(RECORDS[0]));
  });

  it('refuses a missing file, and a folder, naming the path as given', async () => {
    await expect(one('missing.json')).rejects.toThrow(
      new InputError('cannot read missing.json: no such file'),
    );
    mkdirSync(join(dir, 'logs'));
    await expect(one('logs')).rejects.toThrow(new InputError('cannot read logs: is a folder'));
  });

  it('refuses input that is not JSON, saying why on one line', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'line one\nline two\n');
    const error = await refusal(one('notes.txt'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^notes\.txt is not JSON: [^\n]+$/);
    await expect(one('-', ['<html>'])).rejects.toThrow(/^standard input is not JSON: [^\n]+$/);
  });

  it('refuses JSON Lines with a line that is not JSON, naming the line', async () => {
    writeFileSync(join(dir, 'events.jsonl'), `${JSON.stringify(RECORDS[1])}\n{"eventName": "Trunc\n`);
    await expect(one('events.jsonl')).rejects.toThrow(/^events\.jsonl is not JSON: line 2: [^\n]+$/);
  });

  it('refuses empty input, and input that holds no event', async () => {
    await expect(one('-')).rejects.toThrow(new InputError('standard input is empty'));
    await expect(one('-', ['\n  \r\n'])).rejects.toThrow(new InputError('standard input is empty'));
    writeFileSync(join(dir, 'empty.json'), '');
    await expect(one('empty.json')).rejects.toThrow(new InputError('empty.json is empty'));
    writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: [] }));
    await expect(one('trail.json')).rejects.toThrow(/^trail\.json holds no event /);
  });

  it('refuses several events, JSON Lines or a CloudTrail log file, pointing to cordon detect', async () => {
    const several = (name: string) =>
      new InputError(
        `${name} holds more than one event (JSON Lines, or a CloudTrail log file of several records); ` +
          'cordon respond takes one event: use cordon detect for many',
      );
    writeFileSync(join(dir, 'events.jsonl'), RECORDS.map((record) => JSON.stringify(record)).join('\n'));
    await expect(one('events.jsonl')).rejects.toThrow(several('events.jsonl'));
    writeFileSync(join(dir, 'trail.json.gz'), gzipSync(LOG_FILE_TEXT));
    await expect(one('trail.json.gz')).rejects.toThrow(several('trail.json.gz'));
    await expect(one('-', [LOG_FILE_TEXT])).rejects.toThrow(several('standard input'));
  });

  it('stops reading, and closes the input, at a second event', async () => {
    const line = JSON.stringify(RECORDS[1]) + '\n';
    function* endless(): Generator<string> {
      for (;;) yield line;
    }
    const stdin = Readable.from(endless());
    await expect(readOneEvent('-', { cwd: dir, stdin })).rejects.toThrow(/holds more than one event/);
    expect(stdin.destroyed).toBe(true);
  });

  it('refuses a corrupt gzip file', async () => {
    const gz = gzipSync(JSON.stringify(FINDING_EVENT));
    writeFileSync(join(dir, 'event.json.gz'), gz.subarray(0, gz.length / 2));
    await expect(one('event.json.gz')).rejects.toThrow(/^cannot read event\.json\.gz: [^\n]+$/);
  });
});
