import { restoreIamUser, type RestoreResult } from '../../actions';
import { createAwsClients } from '../../responder/clients';
import { INCIDENT_RECORD_KIND, type IncidentRecord } from '../../responder/incident-record';
import { parseCommandArgs } from '../options';
import { cliIncidentStore } from '../responder-setup';
import { UsageError, type CliCommand } from '../usage';

const USAGE = `Usage: cordon restore INCIDENT_ID [--dry-run] [--json] [--evidence-bucket NAME]

Undoes a containment from its record: keys, SSH keys, certificates and service credentials back
to their old status, managed policies re-attached, inline documents and groups restored, Cordon's
deny and tags removed. A console password cannot be restored: the output says to reset it.

  --dry-run                show what would be restored, change nothing
  --json                   print the restore results as JSON
  --evidence-bucket NAME   read the record from this S3 bucket (else $CORDON_EVIDENCE_BUCKET, else .cordon/incidents/)
`;

function isIncidentRecord(value: unknown): value is IncidentRecord {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === INCIDENT_RECORD_KIND
  );
}

/** Failed steps, except the console password, which no API can restore (it is a manual step). */
function unrestorable(result: RestoreResult) {
  return result.outcomes.filter((o) => o.status === 'failed' && o.action !== 'restore-login-profile');
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
    const record = await store.getDocument(incidentId, 'record');
    if (!isIncidentRecord(record)) {
      io.stderr.write(
        `cordon restore: no incident record ${incidentId} in ${store.locationOf(incidentId)}\n`,
      );
      return 1;
    }
    const enforced = record.containments.filter((c) => !c.dryRun);
    if (enforced.length === 0) {
      io.stdout.write(
        `Incident ${incidentId} changed nothing (${record.plan?.heldBack?.reason ?? 'no containment'}): nothing to restore.\n`,
      );
      return 0;
    }
    const results: RestoreResult[] = [];
    for (const containment of enforced) {
      results.push(
        await restoreIamUser({ iam: clients.iam, record: containment, dryRun: values['dry-run'] }),
      );
    }
    if (!values['dry-run'])
      await store.putDocument(incidentId, `restore-${new Date().toISOString()}`, results);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } else {
      for (const result of results) {
        const state = result.complete
          ? 'complete'
          : unrestorable(result).length
            ? 'FAILED steps below'
            : 'done, except what a human must do';
        io.stdout.write(`Restore of IAM user ${result.userName} (incident ${incidentId}): ${state}\n`);
        for (const o of result.outcomes)
          io.stdout.write(`  - ${o.status}: ${o.action} ${o.target}: ${o.detail}\n`);
        if (result.manualSteps.length) {
          io.stdout.write('What a human must still do:\n');
          for (const step of result.manualSteps) io.stdout.write(`  - ${step}\n`);
        }
      }
    }
    return results.every((r) => unrestorable(r).length === 0) ? 0 : 1;
  },
};
