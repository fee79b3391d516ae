import { containUserManually } from '../../responder/contain-manually';
import { outcomeOf } from '../../responder/incident-record';
import { exitCodeOf, exitCodesUsage } from '../exit-codes';
import { parseCommandArgs } from '../options';
import { RESPONDER_OPTIONS, RESPONDER_OPTIONS_USAGE, cliResponderDependencies } from '../responder-setup';
import { inputError, UsageError, type CliCommand } from '../usage';

const USAGE = `Usage: cordon contain user NAME [--dry-run] [--json] [--evidence-bucket NAME] [--config FILE]

Contains an IAM user now: deny-all first, then every key, password, policy, group and credential
off, with the before-state recorded for \`cordon restore\`. Protected principals are refused.

${RESPONDER_OPTIONS_USAGE}

${exitCodesUsage(['ok', 'error', 'usage', 'partial', 'failed', 'heldBack', 'dryRun'])}
`;

export const containCommand: CliCommand = {
  name: 'contain',
  summary: 'contain an IAM user by hand (cordon contain user NAME)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, RESPONDER_OPTIONS);
    const [kind, name, ...extra] = positionals;
    if (kind !== 'user')
      throw new UsageError(
        kind ? `cannot contain a '${kind}': only 'user' is supported` : 'expected: user NAME',
      );
    if (!name || extra.length) throw new UsageError('expected exactly one user NAME');
    const deps = cliResponderDependencies(values, io);
    const result = await containUserManually(name, deps, { dryRun: values['dry-run'] }).catch(
      (error: unknown) => {
        if (error instanceof Error && /^NoSuchEntity/.test(error.name)) {
          throw inputError(`there is no IAM user named ${name} in this account (${error.message})`);
        }
        throw error;
      },
    );
    io.stdout.write(values.json ? `${JSON.stringify(result.record, null, 2)}\n` : `${result.report.text}\n`);
    return exitCodeOf(outcomeOf(result.record));
  },
};
