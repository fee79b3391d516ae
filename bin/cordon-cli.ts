import { COMMANDS } from '../lambda/cli/commands';
import { invocationDirectory } from '../lambda/cli/invocation-directory';
import { EXIT_FAILURE, runCli } from '../lambda/cli/main';

runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    // Under `npm run cordon`/`npm run demo`, where the user ran npm, not the package root.
    cwd: invocationDirectory(process.env, process.cwd()),
  },
  COMMANDS,
)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`cordon: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  });
