import { containUserManually } from '../../responder/contain-manually';
import { parseCommandArgs } from '../options';
import { RESPONDER_OPTIONS, RESPONDER_OPTIONS_USAGE, cliResponderDependencies } from '../responder-setup';
import { UsageError, type CliCommand } from '../usage';

const USAGE = `Usage: cordon contain user NAME [--dry-run] [--json] [--evidence-bucket NAME] [--config FILE]

Contains an IAM user now: deny-all first, then every key, password, policy, group and credential
off, with the before-state recorded for \`cordon restore\`. Protected principals are refused.

${RESPONDER_OPTIONS_USAGE}
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
    const result = await containUserManually(name, cliResponderDependencies(values, io), {
      dryRun: values['dry-run'],
    });
    io.stdout.write(values.json ? `${JSON.stringify(result.record, null, 2)}\n` : `${result.report.text}\n`);
    return result.record.plan?.heldBack?.reason === 'protected-principal' ? 1 : 0;
  },
};
