/**
 * A command-line mistake (unknown command or option, missing argument): exit 2 with usage. For
 * input that cannot be used (a missing file, a bad config) the usage is left out: the message is
 * what the person needs, and the usage would bury it.
 */
export class UsageError extends Error {
  readonly showUsage: boolean;
  constructor(message: string, options: { showUsage?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.showUsage = options.showUsage ?? true;
  }
}

/** A named input (event, config, incident) that cannot be used: exit 2, the message without the usage. */
export function inputError(message: string): UsageError {
  return new UsageError(message, { showUsage: false });
}

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage text of this command. */
  readonly usage: string;
  /** Returns the exit code. Throws UsageError for argument mistakes. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
