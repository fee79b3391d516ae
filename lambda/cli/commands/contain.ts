import { containManually, type ManualTarget } from '../../responder/contain-manually';
import { AWS_REGIONS } from '../../config/regions';
import { InstanceNotFoundError } from '../../actions/ec2-instance/instance';
import { outcomeOf } from '../../responder/incident-record';
import { exitCodeOf, exitCodesUsage } from '../exit-codes';
import { parseCommandArgs } from '../options';
import { RESPONDER_OPTIONS, RESPONDER_OPTIONS_USAGE, cliResponderDependencies } from '../responder-setup';
import { inputError, UsageError, type CliCommand } from '../usage';

const USAGE = `Usage: cordon contain user NAME | role NAME | instance ID --region REGION
                      [--dry-run] [--json] [--evidence-bucket NAME] [--config FILE]

Contains a principal now, as the responder would, with every before-state recorded for
\`cordon restore\`. Protected principals are refused.
  user NAME        deny-all first, then every key, password, policy, group and credential off
  role NAME        every session of the role issued before now revoked (and deny-all on the
                   role if roleContainment.denyAll): every current user of the role is affected
  instance ID      isolated in REGION: a security group with no rules (connections cut),
                   EBS snapshots, termination protection, tags (stopped if instanceIsolation.stopInstance)

  --region REGION          the instance's region (instance only; else $AWS_REGION)
${RESPONDER_OPTIONS_USAGE}

${exitCodesUsage(['ok', 'error', 'usage', 'partial', 'failed', 'heldBack', 'dryRun'])}
`;

const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

function targetOf(positionals: readonly string[], region: string | undefined): ManualTarget {
  const [kind, name, ...extra] = positionals;
  if (kind !== 'user' && kind !== 'role' && kind !== 'instance') {
    throw new UsageError(
      kind
        ? `cannot contain a '${kind}': expected user, role or instance`
        : 'expected: user NAME, role NAME or instance ID',
    );
  }
  if (!name || extra.length)
    throw new UsageError(`expected exactly one ${kind === 'instance' ? 'instance ID' : `${kind} NAME`}`);
  if (kind !== 'instance') return { kind, name };
  if (!INSTANCE_ID.test(name))
    throw new UsageError(
      `${JSON.stringify(name)} is not an EC2 instance id (i- and 8 or 17 hexadecimal digits)`,
    );
  if (!region) throw new UsageError('an instance needs its region: --region REGION (or AWS_REGION)');
  if (!(AWS_REGIONS as readonly string[]).includes(region))
    throw new UsageError(`${JSON.stringify(region)} is not an AWS region`);
  return { kind, id: name, region };
}

export const containCommand: CliCommand = {
  name: 'contain',
  summary: 'contain an IAM user, a role or an EC2 instance by hand',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...RESPONDER_OPTIONS,
      region: { type: 'string' },
    });
    const target = targetOf(positionals, values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION);
    const deps = cliResponderDependencies(values, io);
    const result = await containManually(target, deps, { dryRun: values['dry-run'] }).catch(
      (error: unknown) => {
        if (error instanceof InstanceNotFoundError) throw inputError(error.message);
        if (error instanceof Error && /^NoSuchEntity/.test(error.name) && target.kind !== 'instance') {
          throw inputError(
            `there is no IAM ${target.kind} named ${target.name} in this account (${error.message})`,
          );
        }
        throw error;
      },
    );
    io.stdout.write(values.json ? `${JSON.stringify(result.record, null, 2)}\n` : `${result.report.text}\n`);
    return exitCodeOf(outcomeOf(result.record));
  },
};
