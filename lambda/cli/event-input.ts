/**
 * Reading events for `cordon detect`: one EventBridge event, JSON Lines of events or records,
 * CloudTrail log files as CloudTrail writes them to S3 (`{"Records": [...]}`, gzipped or not), or a
 * folder of any of these, read recursively in name order. Raw CloudTrail records and GuardDuty
 * findings are wrapped exactly as EventBridge delivers them, so they meet the detections the way
 * live events do.
 *
 * Large inputs stream: the bytes are gunzipped as they come (gzip is told by its magic bytes, not
 * by the file name) and JSON Lines are parsed one line at a time. A document that is not JSON
 * Lines (a pretty-printed event, a CloudTrail log file) is parsed whole once it has been read.
 *
 * `readOneEvent` reads the one event `cordon respond` takes, from a file or standard input, the
 * same way.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { wrapCloudTrailRecord, wrapGuardDutyFinding } from '../signal/envelope';
import {
  isCloudTrailLogFile,
  isCloudTrailRecord,
  isEnvelope,
  isGuardDutyFinding,
  isRecord,
} from '../signal/shapes';
import type { CliIo } from './usage';

/** An input that cannot be used at all (missing, unreadable, not JSON): the command exits 2 with the message. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** One event, as EventBridge would deliver it (or as given, when it is not a shape Cordon knows). */
export interface EventItem {
  readonly kind: 'event';
  readonly event: unknown;
}

/** A line of JSON Lines that is not JSON; the rest of the file is still read. */
export interface BadLineItem {
  readonly kind: 'bad-line';
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

/** A file is about to be read (for counting and progress). */
export interface FileItem {
  readonly kind: 'file';
  readonly file: string;
}

/** A file inside a folder that could not be used (not JSON, corrupt gzip); the other files are still read. */
export interface SkippedFileItem {
  readonly kind: 'skipped-file';
  readonly file: string;
  readonly message: string;
}

export type InputItem = EventItem | BadLineItem | FileItem | SkippedFileItem;

/** The name `-` stands for standard input. */
export const STDIN = '-';
const STDIN_NAME = 'stdin';

export interface InputSources {
  /** Relative paths are resolved against it; messages name files as they were given. */
  readonly cwd: string;
  readonly stdin: AsyncIterable<Buffer | string>;
}

/**
 * The event for one value: an envelope as is; a raw CloudTrail record or GuardDuty finding wrapped
 * as EventBridge wraps it; anything else as is (parse turns it into a rejection that says why).
 */
export function toEvent(value: unknown): unknown {
  if (!isRecord(value) || isEnvelope(value)) return value;
  if (isCloudTrailRecord(value)) return wrapCloudTrailRecord(value);
  if (isGuardDutyFinding(value)) return wrapGuardDutyFinding(value);
  return value;
}

/**
 * The events one JSON value holds: each record of a CloudTrail log file (`{"Records": [...]}`),
 * each element of an array, or the value itself.
 */
export function* eventsOf(value: unknown): Generator<EventItem> {
  const items = isCloudTrailLogFile(value) ? value.Records : Array.isArray(value) ? value : [value];
  for (const item of items as readonly unknown[]) yield { kind: 'event', event: toEvent(item) };
}

/** An error's message on one line (JSON.parse quotes the input, line breaks and all). */
function describeError(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

/** What a file-system error means to a person. */
function describeFsError(error: unknown): string {
  const code = isRecord(error) ? error.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return describeError(error);
}

/** Reads the input names in order: files, folders (recursively, by name) and `-` (stdin). */
export async function* readEventInputs(
  inputs: readonly string[],
  sources: InputSources,
): AsyncGenerator<InputItem> {
  // Every named input must exist before anything is read: a typo fails at once, not after an hour of logs.
  const resolved: { name: string; path: string; folder: boolean }[] = [];
  for (const name of inputs) {
    if (name === STDIN) {
      resolved.push({ name: STDIN_NAME, path: STDIN, folder: false });
      continue;
    }
    const path = resolve(sources.cwd, name);
    try {
      resolved.push({ name, path, folder: (await stat(path)).isDirectory() });
    } catch (error) {
      throw new InputError(`cannot read ${name}: ${describeFsError(error)}`);
    }
  }
  for (const input of resolved) {
    if (input.path === STDIN) {
      yield { kind: 'file', file: input.name };
      yield* readStream(input.name, sources.stdin, true);
    } else if (input.folder) {
      for (const file of await filesIn(input.path, input.name)) {
        yield { kind: 'file', file: file.name };
        yield* readStream(file.name, createReadStream(file.path), false);
      }
    } else {
      yield { kind: 'file', file: input.name };
      yield* readStream(input.name, createReadStream(input.path), true);
    }
  }
}

/** Every file under a folder, depth first, each level in name order; hidden entries are left out. */
async function filesIn(folder: string, shownAs: string): Promise<{ name: string; path: string }[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`cannot read ${shownAs}: ${describeFsError(error)}`);
  }
  const names = entries
    .filter((entry) => !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files: { name: string; path: string }[] = [];
  for (const name of names) {
    const path = join(folder, name);
    const info = await stat(path).catch(() => undefined); // follows links; a dangling one is left out
    if (info?.isDirectory()) files.push(...(await filesIn(path, join(shownAs, name))));
    else if (info?.isFile()) files.push({ name: join(shownAs, name), path });
  }
  return files;
}

/**
 * Reads one stream. `strict` (a file named on the command line, or stdin): a stream that cannot be
 * read or is not JSON throws InputError. Otherwise (a file in a folder) it is reported and skipped.
 */
async function* readStream(
  name: string,
  source: AsyncIterable<Buffer | string>,
  strict: boolean,
): AsyncGenerator<InputItem> {
  try {
    yield* readJsonText(name, lines(await decompressed(source)));
  } catch (error) {
    const message =
      error instanceof NotJsonError
        ? `${name} is not JSON, JSON Lines, or a CloudTrail log file (${error.message})`
        : `cannot read ${name}: ${describeFsError(error)}`;
    if (strict) throw new InputError(message);
    yield { kind: 'skipped-file', file: name, message };
  }
}

class NotJsonError extends Error {}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/** The bytes of a stream, gunzipped when they start with the gzip magic bytes. */
async function decompressed(source: AsyncIterable<Buffer | string>): Promise<AsyncIterable<Buffer>> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    const chunk = toBuffer(next.value);
    head.push(chunk);
    headLength += chunk.length;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      yield* head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) {
          done = true;
          return;
        }
        yield toBuffer(next.value);
      }
    } finally {
      // The reader stopped early (it has what it wanted, or failed): let the source close its file.
      if (!done) await iterator.return?.();
    }
  }
  const first = Buffer.concat(head);
  const gzipped = first.length >= 2 && first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1];
  if (!gzipped) return replay();
  const gunzip = createGunzip();
  // An error on either side destroys the gunzip stream, and iterating it then throws.
  pipeline(Readable.from(replay()), gunzip, () => undefined);
  return gunzip;
}

/**
 * The lines of a UTF-8 byte stream, without their line ends and without a leading byte-order mark,
 * split by `node:readline` (linear in the input, also for a single line of many megabytes such as a
 * CloudTrail log file). Its line ends are LF, CRLF and a lone CR. Stopping early destroys the
 * stream, which lets its source close its file.
 */
export async function* lines(bytes: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const input = Readable.from(bytes);
  const reader = createInterface({ input, crlfDelay: Infinity });
  let first = true;
  try {
    for await (const line of reader) {
      if (first) {
        first = false;
        yield line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
      } else {
        yield line;
      }
    }
  } finally {
    reader.close();
    input.destroy();
  }
}

/** A line that is a JSON object on its own (with at least one key). */
function isObjectLine(line: string): boolean {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return false;
  try {
    const value: unknown = JSON.parse(trimmed);
    return isRecord(value) && Object.keys(value).length > 0;
  } catch {
    return false;
  }
}

const NOT_JSON: unique symbol = Symbol('not JSON');

function parseOrNotJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/**
 * Tells JSON Lines from one JSON document and yields the events of either.
 *
 * - The first non-blank line is JSON on its own: JSON Lines (a CloudTrail log file, which CloudTrail
 *   writes on one line, is one such line), read and forgotten one line at a time.
 * - Otherwise the lines are kept and parsed as one document at the end (a pretty-printed event or log
 *   file). Two object lines in a row cannot occur in a JSON document (a comma or a key would sit
 *   between them), so they reveal JSON Lines with a bad first line: from there on the text is read as
 *   lines, the kept ones first. A document that does not parse but holds an object line is also read
 *   as lines; one without any is not JSON.
 */
async function* readJsonText(file: string, source: AsyncIterable<string>): AsyncGenerator<InputItem> {
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  let kept: string[] = [];
  let lineNumber = 0;
  let previousWasObjectLine = false;

  function* readLine(line: string, at: number): Generator<InputItem> {
    const trimmed = line.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      yield { kind: 'bad-line', file, line: at, message: `not JSON: ${describeError(error)}` };
      return;
    }
    yield* eventsOf(value);
  }

  function* readKeptAsLines(): Generator<InputItem> {
    const lines = kept;
    kept = [];
    const first = lineNumber - lines.length + 1;
    for (const [index, line] of lines.entries()) yield* readLine(line, first + index);
  }

  for await (const line of source) {
    lineNumber += 1;
    if (mode === 'lines') {
      yield* readLine(line, lineNumber);
      continue;
    }
    kept.push(line);
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (mode === 'unknown') {
      const value = parseOrNotJson(trimmed);
      if (value === NOT_JSON) {
        mode = 'document';
      } else {
        mode = 'lines';
        kept = []; // blank lines, and this one, parsed already
        yield* eventsOf(value);
      }
      continue;
    }
    const objectLine = isObjectLine(line);
    if (objectLine && previousWasObjectLine) {
      mode = 'lines';
      yield* readKeptAsLines();
    }
    previousWasObjectLine = objectLine;
  }

  if (mode !== 'document') return; // JSON Lines, or nothing but blank lines: no events, nothing wrong
  let value: unknown;
  try {
    value = JSON.parse(kept.join('\n'));
  } catch (error) {
    if (!kept.some(isObjectLine)) throw new NotJsonError(describeError(error));
    yield* readKeptAsLines();
    return;
  }
  kept = [];
  yield* eventsOf(value);
}

/** How messages name standard input. */
const STDIN_DESCRIPTION = 'standard input';

/**
 * The one event `cordon respond` takes: read from a file (a relative path against `io.cwd`) or, for
 * `-`, from standard input; JSON, gzipped or not. A raw CloudTrail record or GuardDuty finding is
 * wrapped as `cordon detect` wraps it, and so is the only record of a CloudTrail log file or the
 * only line of JSON Lines. Stops reading at a second event.
 *
 * Throws InputError, naming the input as given, when it cannot be read, is not JSON, is empty,
 * holds no event, or holds more than one.
 */
export async function readOneEvent(path: string, io: Pick<CliIo, 'stdin' | 'cwd'>): Promise<unknown> {
  const name = path === STDIN ? STDIN_DESCRIPTION : path;
  const source = path === STDIN ? io.stdin : createReadStream(resolve(io.cwd, path));
  let blank = true;
  async function* noticingText(text: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const line of text) {
      if (blank && line.trim() !== '') blank = false;
      yield line;
    }
  }

  const events: unknown[] = [];
  try {
    for await (const item of readJsonText(name, noticingText(lines(await decompressed(source))))) {
      if (item.kind === 'bad-line') {
        const reason = item.message.replace(/^not JSON: /, '');
        throw new InputError(`${name} is not JSON: line ${item.line}: ${reason}`);
      }
      if (item.kind !== 'event') continue;
      events.push(item.event);
      if (events.length > 1) {
        throw new InputError(
          `${name} holds more than one event (JSON Lines, or a CloudTrail log file of several records); ` +
            'cordon respond takes one event: use cordon detect for many',
        );
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (error instanceof NotJsonError) throw new InputError(`${name} is not JSON: ${error.message}`);
    throw new InputError(`cannot read ${name}: ${describeFsError(error)}`);
  }
  if (events.length === 0) {
    throw new InputError(
      blank
        ? `${name} is empty`
        : `${name} holds no event (an empty list, or a CloudTrail log file without records)`,
    );
  }
  return events[0];
}
