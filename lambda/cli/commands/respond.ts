import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { respond } from '../../responder/respond';
import { parseCommandArgs } from '../options';
import { RESPONDER_OPTIONS, RESPONDER_OPTIONS_USAGE, cliResponderDependencies } from '../responder-setup';
import { UsageError, type CliCommand, type CliIo } from '../usage';

const USAGE = `Usage: cordon respond EVENT.json [--dry-run] [--json] [--evidence-bucket NAME] [--config FILE]

Runs the responder on one EventBridge event (a GuardDuty finding or a CloudTrail event), as the
Lambda would: parse, match, plan, contain, record, report.

${RESPONDER_OPTIONS_USAGE}
`;

async function readEvent(path: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
}

export const respondCommand: CliCommand = {
  name: 'respond',
  summary: 'run the responder on one event against the account in the environment',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, RESPONDER_OPTIONS);
    if (positionals.length !== 1) throw new UsageError('expected exactly one EVENT.json');
    const event = await readEvent(positionals[0], io);
    const result = await respond(event, cliResponderDependencies(values, io), { dryRun: values['dry-run'] });
    if (result.duplicate) {
      io.stdout.write(
        values.json
          ? `${JSON.stringify({ incidentId: result.incidentId, duplicate: true })}\n`
          : `Incident ${result.incidentId} already exists for this event: nothing done again.\n`,
      );
      return 0;
    }
    io.stdout.write(values.json ? `${JSON.stringify(result.record, null, 2)}\n` : `${result.report.text}\n`);
    return 0;
  },
};
