import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_CODES } from './exit-codes';
import { UsageError, type CliCommand, type CliIo } from './usage';

export const EXIT_OK = EXIT_CODES.ok;
export const EXIT_FAILURE = EXIT_CODES.error;
export const EXIT_USAGE = EXIT_CODES.usage;

function version(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function mainUsage(commands: readonly CliCommand[]): string {
  const width = Math.max(10, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: cordon <command> [options]',
    '',
    'Cordon contains compromised AWS credentials: detect, contain, revert, sweep, restore.',
    '',
    'Commands:',
    ...(lines.length ? lines : ['  (none yet)']),
    '',
    'Options:',
    '  -h, --help     show this help (or `cordon <command> --help`)',
    '  -v, --version  show the version',
    '',
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code; never calls process.exit. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand[],
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout.write(mainUsage(commands));
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${version()}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr.write(
      `cordon: unknown ${first.startsWith('-') ? 'option' : 'command'} '${first}'\n\n${mainUsage(commands)}`,
    );
    return EXIT_USAGE;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout.write(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(
        error.showUsage
          ? `cordon ${command.name}: ${error.message}\n\n${command.usage}`
          : `cordon ${command.name}: ${error.message}\n(see cordon ${command.name} --help)\n`,
      );
      return EXIT_USAGE;
    }
    throw error;
  }
}
