/** A command-line mistake (unknown command or option, missing argument): exit 2 with usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
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
