import type { AnyRestore } from '../../actions/registry';
import { InvalidIncidentIdError } from '../../incidents/store';
import { createAwsClients } from '../../responder/clients';
import {
  IncidentNotFoundError,
  restoreIncident,
  type IncidentRestore,
} from '../../responder/restore-incident';
import { EXIT_CODES, exitCodesUsage } from '../exit-codes';
import { parseCommandArgs } from '../options';
import { cliIncidentStore } from '../responder-setup';
import { inputError, UsageError, type CliCommand } from '../usage';

const USAGE = `Usage: cordon restore INCIDENT_ID [--dry-run] [--json] [--evidence-bucket NAME]

Undoes a containment from its record. An IAM user: keys, SSH keys, certificates and service
credentials back to their old status, managed policies re-attached, inline documents and groups
restored, Cordon's deny and tags removed (a console password cannot be restored: the output says
to reset it). A role: its session revocation (and deny-all) removed, or the one it replaced put
back. An instance: its security groups, termination protection and tags as before, started again
if Cordon stopped it; its snapshots are kept as evidence.
What a later, still-open incident on the same principal holds is left in place, and the output
says so; restoring that incident first brings it all back.

  --dry-run                show what would be restored, change nothing
  --json                   print the restore as JSON
  --evidence-bucket NAME   read the record from this S3 bucket (else $CORDON_EVIDENCE_BUCKET, else .cordon/incidents/)

${exitCodesUsage(['ok', 'error', 'usage', 'partial', 'dryRun', 'leftInPlace'])}
`;

/** Failed steps, except the console password, which no API can restore (it is a manual step). */
function unrestorable(result: AnyRestore) {
  const failed: readonly { status: string; action: string }[] = result.outcomes;
  return failed.filter((o) => o.status === 'failed' && o.action !== 'restore-login-profile');
}

function exitCodeOfRestore(restore: IncidentRestore): number {
  if (restore.results.some((r) => unrestorable(r).length > 0)) return EXIT_CODES.partial;
  if (restore.dryRun && !restore.nothingToRestore) return EXIT_CODES.dryRun;
  if (restore.leftInPlace.length > 0) return EXIT_CODES.leftInPlace;
  return EXIT_CODES.ok;
}

function renderRestore(restore: IncidentRestore): string {
  const { incidentId } = restore;
  if (restore.nothingToRestore)
    return `Incident ${incidentId}: ${restore.nothingToRestore}: nothing to restore.\n`;
  const lines: string[] = [];
  for (const result of restore.results) {
    const state = restore.dryRun
      ? 'dry run, nothing changed'
      : result.complete
        ? 'complete'
        : unrestorable(result).length
          ? 'FAILED steps below'
          : 'done, except what a human must do';
    lines.push(`Restore of ${result.subject} (incident ${incidentId}): ${state}`);
    for (const o of result.outcomes) lines.push(`  - ${o.status}: ${o.action} ${o.target}: ${o.detail}`);
    if (result.manualSteps.length) {
      lines.push('What a human must still do:');
      for (const step of result.manualSteps) lines.push(`  - ${step}`);
    }
  }
  for (const left of restore.leftInPlace) {
    lines.push(`${restore.dryRun ? 'Would be left' : 'Left'} in place on ${left.subject}: ${left.why}`);
  }
  return `${lines.join('\n')}\n`;
}

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'undo a containment from its incident record',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      'evidence-bucket': { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one INCIDENT_ID');
    const incidentId = positionals[0];
    const clients = createAwsClients(io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION);
    const store = cliIncidentStore(values['evidence-bucket'], io, () => clients.s3);
    let restore: IncidentRestore;
    try {
      restore = await restoreIncident({
        iam: clients.iam,
        ec2: clients.ec2,
        services: clients.services,
        store,
        incidentId,
        dryRun: values['dry-run'],
      });
    } catch (error) {
      if (error instanceof IncidentNotFoundError) {
        io.stderr.write(`cordon restore: ${error.message}\n`);
        return EXIT_CODES.usage;
      }
      if (error instanceof InvalidIncidentIdError) throw inputError(error.message);
      throw error;
    }
    io.stdout.write(values.json ? `${JSON.stringify(restore, null, 2)}\n` : renderRestore(restore));
    return exitCodeOfRestore(restore);
  },
};
