/**
 * `cordon doctor`: checks that the account the credentials reach gives Cordon what it needs (a
 * multi-region trail logging management events, GuardDuty in each covered region, Cordon's rules
 * present and enabled) and prints what is missing with the fix, as a checklist or as JSON.
 */
import { DEFAULT_CONFIG_FILE } from '../../config/load';
import { createDoctorClients } from '../../doctor/clients';
import { runDoctor } from '../../doctor/doctor';
import { doctorExitCode } from '../../doctor/exit-code';
import { renderDoctorReport } from '../../doctor/render';
import { exitCodesUsage } from '../exit-codes';
import { parseCommandArgs } from '../options';
import { loadCliConfig } from '../responder-setup';
import { UsageError, type CliCommand } from '../usage';

const USAGE = `Usage: cordon doctor [--config FILE] [--json]

Checks the account the credentials reach for what Cordon needs, and prints what is missing and how
to fix it:
  - a multi-region CloudTrail trail that is logging and records read and write management events;
  - GuardDuty enabled in the home region and every forwarder region, publishing every 15 minutes
    (a slower frequency is a warning);
  - Cordon's EventBridge rules, one per enabled detection, present and enabled in each of those regions.
Nothing is changed. A check that cannot run (access denied, an API the endpoint lacks) is reported
as "could not check", never as passed.

  --config FILE   configuration file (else $CORDON_CONFIG_FILE, else ${DEFAULT_CONFIG_FILE} in this folder, if any)
  --json          print the result as JSON instead of the checklist

AWS credentials, region and endpoint come from the environment (AWS_ENDPOINT_URL for an emulator).

${exitCodesUsage(['ok', 'error', 'usage', 'missing', 'unchecked'])}
`;

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check the account for the trail, GuardDuty and the rules Cordon needs',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      config: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const config = loadCliConfig(values.config, io);
    const report = await runDoctor(config, createDoctorClients());
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorReport(report));
    return doctorExitCode(report);
  },
};
