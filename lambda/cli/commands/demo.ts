import { runDemo } from '../../demo/run-demo';
import { parseCommandArgs } from '../options';
import { UsageError, type CliCommand } from '../usage';

const USAGE = `Usage: cordon demo

Starts the AWS emulator (moto_server) on loopback, stages a user with two access keys, a console
password, managed and inline policies and group memberships, fires a real-format GuardDuty
finding for its key, runs the responder, prints the report, and proves the attacker's key is
refused. Needs no AWS account; needs moto_server (pip install "moto[server]").
`;

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'contain a compromised user in a local AWS emulator, end to end',
  usage: USAGE,
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const ok = await runDemo({ line: (text) => io.stdout.write(`${text}\n`) });
    return ok ? 0 : 1;
  },
};
