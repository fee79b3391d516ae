import { respond, type RespondResult } from '../../responder/respond';
import { outcomeOf } from '../../responder/incident-record';
import { InputError, readOneEvent } from '../event-input';
import { EXIT_CODES, exitCodeOf, exitCodesUsage } from '../exit-codes';
import { parseCommandArgs } from '../options';
import { RESPONDER_OPTIONS, RESPONDER_OPTIONS_USAGE, cliResponderDependencies } from '../responder-setup';
import { inputError, UsageError, type CliCommand } from '../usage';

const USAGE = `Usage: cordon respond EVENT.json|- [--dry-run] [--json] [--evidence-bucket NAME] [--config FILE]

Runs the responder on one EventBridge event (a GuardDuty finding or a CloudTrail event; a raw
CloudTrail record or GuardDuty finding is wrapped as EventBridge delivers it), as the Lambda would:
parse, match, plan, contain, record, report. \`-\` reads the event from standard input.

${RESPONDER_OPTIONS_USAGE}

${exitCodesUsage(['ok', 'error', 'usage', 'partial', 'failed', 'heldBack', 'dryRun', 'reported', 'rejected', 'duplicate'])}
`;

function duplicateMessage(result: Extract<RespondResult, { duplicate: true }>): string {
  if (result.claim === 'in-progress') {
    return (
      `Incident ${result.incidentId} is being handled by another run right now: nothing done. ` +
      'If that run died, run this command again once its lease has passed (15 minutes from its start).\n'
    );
  }
  return `Incident ${result.incidentId} already handled this event: nothing done again.\n`;
}

export const respondCommand: CliCommand = {
  name: 'respond',
  summary: 'run the responder on one event against the account in the environment',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, RESPONDER_OPTIONS);
    if (positionals.length !== 1)
      throw new UsageError('expected exactly one EVENT.json (or - for standard input)');
    let event: unknown;
    try {
      event = await readOneEvent(positionals[0], io);
    } catch (error) {
      if (error instanceof InputError) throw inputError(error.message);
      throw error;
    }
    const result = await respond(event, cliResponderDependencies(values, io), {
      dryRun: values['dry-run'],
      repeatDryRun: true,
    });
    if (result.duplicate) {
      io.stdout.write(
        values.json
          ? `${JSON.stringify({ incidentId: result.incidentId, duplicate: true, claim: result.claim, dryRun: result.dryRun })}\n`
          : duplicateMessage(result),
      );
      return EXIT_CODES.duplicate;
    }
    io.stdout.write(values.json ? `${JSON.stringify(result.record, null, 2)}\n` : `${result.report.text}\n`);
    return exitCodeOf(outcomeOf(result.record));
  },
};
