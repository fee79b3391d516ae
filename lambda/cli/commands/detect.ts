/**
 * `cordon detect`: which detections an event matches and what `parse` makes of it, offline. For one
 * event, or a backtest of whole CloudTrail logs: one JSON line per event on stdout, a summary on
 * stderr. Matching is the responder's own (`matchDetections` over the catalogue, with the detections
 * the config disables left out), so a backtest shows what the deployed rules would have matched.
 */
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfigSource, resolveConfigSource } from '../../config/load';
import type { CordonConfig, Response } from '../../config/schema';
import { DETECTIONS } from '../../detections/catalogue';
import { effectiveResponse, isDetectionEnabled } from '../../detections/config-overrides';
import { detectionContextFromConfig } from '../../detections/context';
import { matchDetections } from '../../detections/match';
import type { Detection, DetectionSeverity } from '../../detections/types';
import { parse } from '../../signal/parse';
import type { Rejection, Signal } from '../../signal/signal';
import { InputError, STDIN, readEventInputs } from '../event-input';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../main';
import { UsageError, type CliCommand, type CliIo } from '../usage';

const USAGE = `Usage: cordon detect [options] FILE|FOLDER|- ...

Matches events against Cordon's detections, offline: one event, or a backtest of whole logs.

Input: an EventBridge event (JSON); JSON Lines of events or CloudTrail records; CloudTrail log
files as CloudTrail writes them to S3 ({"Records": [...]}, gzipped or not); a folder of any of
these (read recursively, in name order); - for standard input. Raw CloudTrail records and GuardDuty
findings are wrapped as EventBridge delivers them.

Output: one JSON line per event on stdout,
  {"detections": [{"id", "title", "severity", "response"}], "signal": {...} | null, "rejection": {...} | null}
and a summary on stderr: events read, events matched per detection, rejections by reason.

Options:
  --config FILE  configuration to use (else $CORDON_CONFIG_FILE, else ${DEFAULT_CONFIG_FILE} in the current folder, if any)
  --progress     report progress on stderr every 2 seconds (default: only when stderr is a terminal)
  -h, --help     show this help

Exit status:
  0  all the input was read, whatever matched
  1  the input was read, but some of it could not be used and was skipped: a line of JSON Lines
     that is not JSON (reported as FILE:LINE), or a file in a folder that is not JSON, JSON Lines,
     or a CloudTrail log file, or is a corrupt gzip file (each reported on stderr, and counted in
     the summary); everything else was processed
  2  an input named is missing or unreadable, or is not JSON, JSON Lines, or a CloudTrail log
     file; or the configuration is invalid (reading stops there)
`;

/** How a matched detection appears in the output. */
export interface DetectedDetection {
  readonly id: string;
  readonly title: string;
  readonly severity: DetectionSeverity;
  readonly response: Response;
}

/** One output line. */
export interface DetectResult {
  readonly detections: readonly DetectedDetection[];
  readonly signal: Signal | null;
  readonly rejection: Rejection | null;
}

interface DetectOptions {
  readonly inputs: readonly string[];
  readonly configFile?: string;
  readonly progress: boolean;
}

function parseArguments(args: readonly string[]): DetectOptions {
  const inputs: string[] = [];
  let configFile: string | undefined;
  let progress = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === '--') {
      inputs.push(...args.slice(index + 1));
      break;
    }
    if (arg === '--progress') {
      progress = true;
    } else if (arg === '--config' || arg.startsWith('--config=')) {
      const value = arg === '--config' ? args[++index] : arg.slice('--config='.length);
      if (value === undefined || value === '') throw new UsageError('--config needs a file');
      configFile = value;
    } else if (arg.startsWith('-') && arg !== STDIN) {
      throw new UsageError(`unknown option '${arg}'`);
    } else {
      inputs.push(arg);
    }
  }
  if (inputs.length === 0) throw new UsageError('no input: name a file, a folder, or - for standard input');
  return { inputs, configFile, progress };
}

/**
 * The config named by --config, else by $CORDON_CONFIG_FILE (either must exist), else
 * cordon.config.json in the cwd when present, else defaults: as every other command reads it.
 */
function loadConfig(options: DetectOptions, io: Pick<CliIo, 'cwd' | 'env'>): CordonConfig {
  return loadConfigSource(
    resolveConfigSource({ named: { file: options.configFile, by: '--config' }, env: io.env, cwd: io.cwd }),
  );
}

/** Lines are joined and written in chunks of about this many characters. */
const CHUNK_CHARACTERS = 1 << 16;

/** The EventEmitter side of a stream, when the output has one (the process streams do; test buffers need not). */
interface Emitter {
  on(event: string, listener: (error?: unknown) => void): unknown;
  off(event: string, listener: (error?: unknown) => void): unknown;
  once(event: string, listener: (error?: unknown) => void): unknown;
}

function emitterOf(value: unknown): Emitter | undefined {
  const candidate = value as Partial<Record<keyof Emitter, unknown>>;
  return typeof candidate.on === 'function' &&
    typeof candidate.off === 'function' &&
    typeof candidate.once === 'function'
    ? (value as Emitter)
    : undefined;
}

/**
 * Collects output lines and writes them in chunks; waits for 'drain' when the stream asks to. When
 * the output fails (the reader went away: `cordon detect logs | head`), it is closed and says why.
 */
class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  private readonly emitter: Emitter | undefined;
  /** The error the output failed with, once it has. */
  failure: unknown = undefined;
  private readonly onError = (error?: unknown) => {
    this.failure ??= error ?? new Error('the output failed');
  };

  constructor(private readonly out: CliIo['stdout']) {
    this.emitter = emitterOf(out);
    this.emitter?.on('error', this.onError);
  }

  get closed(): boolean {
    return this.failure !== undefined;
  }

  /** Adds a line; true when the chunk is full and should be flushed. */
  add(line: string): boolean {
    this.parts.push(line);
    this.size += line.length;
    return this.size >= CHUNK_CHARACTERS;
  }

  async flush(): Promise<void> {
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (text === '' || this.closed) return;
    const accepted = this.out.write(text);
    const emitter = this.emitter;
    if (accepted !== false || emitter === undefined || this.closed) return;
    await new Promise<void>((done) => {
      const finish = () => {
        emitter.off('drain', finish);
        emitter.off('error', finish);
        done();
      };
      emitter.once('drain', finish);
      emitter.once('error', finish);
    });
  }

  /** Stops listening to the output. */
  release(): void {
    this.emitter?.off('error', this.onError);
  }
}

/** Counts for the summary. */
class Tally {
  events = 0;
  files = 0;
  badLines = 0;
  skippedFiles = 0;
  signals = 0;
  matchedEvents = 0;
  readonly byDetection = new Map<string, number>();
  readonly byReason = new Map<string, number>();

  count(result: DetectResult): void {
    this.events += 1;
    if (result.signal !== null) this.signals += 1;
    if (result.rejection !== null) increment(this.byReason, result.rejection.reason);
    if (result.detections.length > 0) this.matchedEvents += 1;
    for (const detection of result.detections) increment(this.byDetection, detection.id);
  }

  summary(): string {
    const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
    const lines = [
      `cordon detect: read ${plural(this.events, 'event')} from ${plural(this.files, 'input file')}`,
    ];
    if (this.badLines > 0) lines.push(`  ${plural(this.badLines, 'bad line')} skipped (reported above)`);
    if (this.skippedFiles > 0) lines.push(`  ${plural(this.skippedFiles, 'file')} skipped (reported above)`);
    lines.push(`  ${plural(this.signals, 'signal')}, ${plural(this.events - this.signals, 'rejection')}`);
    lines.push(`  events matched per detection (${this.matchedEvents} matched at least one):`);
    lines.push(...table(this.byDetection, '(none)'));
    lines.push('  rejections by reason:');
    lines.push(...table(this.byReason, '(none)'));
    return lines.join('\n') + '\n';
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Rows "    name  count", most frequent first, then by name. */
function table(counts: ReadonlyMap<string, number>, empty: string): string[] {
  if (counts.size === 0) return [`    ${empty}`];
  const rows = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, count]) => `    ${name.padEnd(width)}  ${count}`);
}

/**
 * The output line of a result: JSON.stringify(result) and a line end, with each detection's JSON
 * made once per run rather than once per event.
 */
function outputLine(result: DetectResult, detectionJson: ReadonlyMap<DetectedDetection, string>): string {
  const detections = result.detections.map(
    (detection) => detectionJson.get(detection) ?? JSON.stringify(detection),
  );
  return (
    `{"detections":[${detections.join(',')}],` +
    `"signal":${JSON.stringify(result.signal)},"rejection":${JSON.stringify(result.rejection)}}\n`
  );
}

/** Progress every this many milliseconds. */
const PROGRESS_INTERVAL_MS = 2000;
/** The clock is read once per this many events. */
const PROGRESS_CHECK_EVERY = 256;

export interface DetectDependencies {
  /** Milliseconds, for progress lines; injected by tests. */
  readonly now: () => number;
}

function stderrIsTerminal(io: CliIo): boolean {
  return (io.stderr as { isTTY?: unknown }).isTTY === true;
}

/** Runs `cordon detect` with these arguments; returns the exit code. */
export async function runDetect(
  args: readonly string[],
  io: CliIo,
  dependencies: DetectDependencies = { now: () => performance.now() },
): Promise<number> {
  const options = parseArguments(args);
  let config: CordonConfig;
  try {
    config = loadConfig(options, io);
  } catch (error) {
    if (error instanceof InputError || error instanceof ConfigError) {
      io.stderr.write(`cordon detect: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const detections = DETECTIONS.filter((detection) => isDetectionEnabled(detection, config));
  const context = detectionContextFromConfig(config);
  const shown = new Map<Detection, DetectedDetection>(
    detections.map((detection) => [
      detection,
      {
        id: detection.id,
        title: detection.title,
        severity: detection.severity,
        response: effectiveResponse(detection, config),
      },
    ]),
  );

  const shownJson = new Map([...shown.values()].map((entry) => [entry, JSON.stringify(entry)]));
  const out = new ChunkedWriter(io.stdout);
  const tally = new Tally();
  const progress = options.progress || stderrIsTerminal(io);
  const started = dependencies.now();
  let lastProgress = started;
  const reportProgress = () => {
    const now = dependencies.now();
    if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    const rate = Math.round(tally.events / Math.max((now - started) / 1000, 0.001));
    io.stderr.write(
      `cordon detect: ${tally.events} events read, ${tally.matchedEvents} matched, ` +
        `${tally.files} files, ${rate} events/s\n`,
    );
  };

  try {
    for await (const item of readEventInputs(options.inputs, { cwd: io.cwd, stdin: io.stdin })) {
      if (out.closed) break;
      switch (item.kind) {
        case 'event': {
          const parsed = parse(item.event);
          const result: DetectResult = {
            detections: matchDetections(item.event, context, detections).map(
              (d) => shown.get(d) as DetectedDetection,
            ),
            signal: parsed.kind === 'signal' ? parsed : null,
            rejection: parsed.kind === 'rejection' ? parsed : null,
          };
          tally.count(result);
          if (out.add(outputLine(result, shownJson))) await out.flush();
          if (progress && tally.events % PROGRESS_CHECK_EVERY === 0) reportProgress();
          break;
        }
        case 'bad-line':
          tally.badLines += 1;
          io.stderr.write(`${item.file}:${item.line}: ${item.message}\n`);
          break;
        case 'skipped-file':
          tally.skippedFiles += 1;
          io.stderr.write(`cordon detect: ${item.message}; skipped\n`);
          break;
        case 'file':
          tally.files += 1;
          if (progress) reportProgress();
          break;
      }
    }
    await out.flush();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    await out.flush();
    io.stderr.write(`cordon detect: ${error.message}\n`);
    return EXIT_USAGE;
  } finally {
    out.release();
  }
  if (out.closed) {
    // The reader went away (a pipe to head): nothing more is wanted, which is not a failure.
    const code = (out.failure as { code?: unknown }).code;
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return EXIT_OK;
    io.stderr.write(`cordon detect: cannot write the output: ${describe(out.failure)}\n`);
    return EXIT_FAILURE;
  }
  io.stderr.write(tally.summary());
  // Everything else was processed, but a skipped line or file means the result is incomplete.
  return tally.badLines > 0 || tally.skippedFiles > 0 ? EXIT_FAILURE : EXIT_OK;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const detectCommand: CliCommand = {
  name: 'detect',
  summary: 'match events or whole CloudTrail logs against the detections, offline',
  usage: USAGE,
  run: (args, io) => runDetect(args, io),
};
