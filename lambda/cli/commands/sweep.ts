import { incidentIdFor } from '../../incidents/incident-id';
import { InvalidIncidentIdError } from '../../incidents/store';
import { renderDamageReport, sweepOutcomeOf, type SweepOutcome } from '../../notify/damage-report';
import { actionClientsOf, createAwsClients } from '../../responder/clients';
import { ownDeploymentOf } from '../../responder/own-deployment';
import { lookupEventsClients } from '../../sweep/lookup-events';
import { enabledRegions } from '../../sweep/regions';
import { SweepNotFoundError, storedSweep, type SweepProgress } from '../../sweep/sweep';
import { sweepOnce } from '../../sweep/sweeper';
import { callerAccount } from '../caller-account';
import { EXIT_CODES, exitCodesUsage } from '../exit-codes';
import { parseCommandArgs } from '../options';
import { cliIncidentStore, loadCliConfig } from '../responder-setup';
import { inputError, UsageError, type CliCommand } from '../usage';

const USAGE = `Usage: cordon sweep --access-key-id KEY [--user NAME] [--since TIME] [--dry-run] [--json]
       cordon sweep --incident ID      (continue a sweep that stopped at its time budget)

Reads everything the key did in CloudTrail (LookupEvents, every enabled region in parallel, each
at its 2 requests a second) from --since (else the configured look-back, sweep.lookbackMinutes,
before now) to now, and stops what it started: instances stopped, spot requests cancelled,
ingress rules revoked, shares closed, created keys deactivated, login profiles deleted, created
users contained, assumed roles' older sessions revoked (and their own timelines swept), trails
logging again, GuardDuty detectors enabled, changed functions held at concurrency 0. Every other
write is listed for review. The same code runs in the sweeper Lambda.

  --access-key-id KEY      the compromised key (AKIA... or ASIA...)
  --user NAME              its IAM user: console activity by that name is swept too
  --since TIME             ISO 8601 start of the timeline (e.g. 2026-11-30T00:00:00Z)
  --incident ID            continue the sweep of this incident (its saved state)
  --time-budget SECONDS    stop asking for pages after this long; the state is saved for --incident
  --dry-run                list what would be reverted, change nothing
  --json                   print the sweep's state and report as JSON
  --evidence-bucket NAME   keep the sweep in this S3 bucket (else $CORDON_EVIDENCE_BUCKET, else .cordon/incidents/)
  --config FILE            configuration file (else $CORDON_CONFIG_FILE, else cordon.config.json here, if any)

Progress goes to standard error, one line per page. AWS credentials, region and endpoints come from
the environment (AWS_ENDPOINT_URL, and AWS_ENDPOINT_URL_CLOUDTRAIL for LookupEvents alone).
\`cordon restore ID\` undoes what the sweep changed.

${exitCodesUsage(['ok', 'error', 'usage', 'partial', 'dryRun', 'incomplete'])}
`;

const ACCESS_KEY = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

const EXIT_BY_OUTCOME: Readonly<Record<SweepOutcome, number>> = {
  swept: EXIT_CODES.ok,
  'swept-with-failures': EXIT_CODES.partial,
  'sweep-dry-run': EXIT_CODES.dryRun,
  'sweep-incomplete': EXIT_CODES.incomplete,
};

function progressLine(progress: SweepProgress): string {
  const { cursor } = progress;
  return `sweep ${progress.accessKeyId} ${progress.region}: page ${cursor.pagesRead}, ${cursor.eventsRead} events${progress.actions ? `, ${progress.actions} actions` : ''}${cursor.done ? ' (done)' : ''}\n`;
}

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: "read a key's CloudTrail timeline in every region and stop what it started",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      'access-key-id': { type: 'string' },
      user: { type: 'string' },
      since: { type: 'string' },
      incident: { type: 'string' },
      'time-budget': { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      'evidence-bucket': { type: 'string' },
      config: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const key = values['access-key-id'];
    const continuing = values.incident;
    if (!key && !continuing)
      throw new UsageError('expected --access-key-id KEY (or --incident ID to continue a sweep)');
    if (key && continuing)
      throw new UsageError(
        '--access-key-id and --incident do not go together: --incident continues the sweep it names',
      );
    if (key && !ACCESS_KEY.test(key)) {
      throw inputError(
        `--access-key-id ${JSON.stringify(key)} is not an access key id: AKIA or ASIA followed by 16 upper-case letters or digits`,
      );
    }
    let since: Date | undefined;
    if (values.since !== undefined) {
      since = new Date(values.since);
      if (Number.isNaN(since.getTime()))
        throw inputError(
          `--since ${JSON.stringify(values.since)} is not a time: use ISO 8601, e.g. 2026-11-30T00:00:00Z`,
        );
    }
    let budgetMs = Number.POSITIVE_INFINITY;
    if (values['time-budget'] !== undefined) {
      const seconds = Number(values['time-budget']);
      if (!Number.isFinite(seconds) || seconds <= 0)
        throw inputError(
          `--time-budget ${JSON.stringify(values['time-budget'])} is not a positive number of seconds`,
        );
      budgetMs = seconds * 1000;
    }
    const config = loadCliConfig(values.config, io);
    const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? config.homeRegion;
    const clients = createAwsClients(region);
    const store = cliIncidentStore(values['evidence-bucket'], io, () => clients.s3);
    const now = new Date();
    const incidentId =
      continuing ??
      incidentIdFor(
        `sweep:${values['dry-run'] ? 'dry-run:' : ''}${key ?? ''}:${(since ?? now).toISOString()}`,
        now.toISOString(),
      );
    const accountId = await callerAccount(region)();
    try {
      if (continuing && !(await storedSweep(store, continuing))) {
        io.stderr.write(
          `cordon sweep: no sweep of incident ${continuing} in ${store.locationOf(continuing)}\n`,
        );
        return EXIT_CODES.usage;
      }
      const { state, report } = await sweepOnce(
        {
          incidentId,
          ...(key
            ? {
                start: {
                  accessKeyId: key,
                  ...(values.user ? { userName: values.user } : {}),
                  firstSeen: now,
                  dryRun: values['dry-run'] === true,
                  ...(since ? { since } : {}),
                },
              }
            : {}),
          deadline: now.getTime() + budgetMs,
        },
        {
          clients: actionClientsOf(clients.iam, clients.ec2, clients.services),
          cloudtrail: lookupEventsClients(),
          store,
          publisher: { publish: () => Promise.resolve() },
          config,
          own: ownDeploymentOf(config, accountId),
          regions: () => enabledRegions(clients.ec2(region), [config.homeRegion, ...config.regions]),
          onProgress: (progress) => io.stderr.write(progressLine(progress)),
        },
      );
      const rendered = report ?? renderDamageReport(state);
      io.stdout.write(values.json ? `${rendered.json}\n` : `${rendered.text}\n`);
      if (!state.done) {
        io.stderr.write(
          `cordon sweep: stopped at the time budget; continue with: cordon sweep --incident ${incidentId}\n`,
        );
      }
      return EXIT_BY_OUTCOME[sweepOutcomeOf(state)];
    } catch (error) {
      if (error instanceof InvalidIncidentIdError) throw inputError(error.message);
      if (error instanceof SweepNotFoundError) throw inputError(error.message);
      throw error;
    }
  },
};
