import { DisableRuleCommand, DeleteRuleCommand } from '@aws-sdk/client-eventbridge';
import { StopLoggingCommand, CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { cordonConfigSchema, type CordonConfig } from '../../../lambda/config/schema';
import { runDoctor } from '../../../lambda/doctor/doctor';
import { DOCTOR_EXIT_CODES, doctorExitCode } from '../../../lambda/doctor/exit-code';
import { coveredRegions, expectedDetectionRules } from '../../../lambda/doctor/expected-rules';
import { renderDoctorReport } from '../../../lambda/doctor/render';
import type { CheckResult, DoctorReport } from '../../../lambda/doctor/types';
import { emulatorClientConfig, sharedMotoUrl } from '../../support/moto';
import { createDetector, createRules, createTrail, freshAccount, type DoctorAccount } from './doctor-account';

const config: CordonConfig = cordonConfigSchema.parse({
  homeRegion: 'eu-west-1',
  regions: ['eu-central-1'],
  honeytokenAccessKeyIds: ['AKIAIOSFODNN7HONEY01'],
});
const regions = coveredRegions(config);
const expected = expectedDetectionRules(config);

interface Staged {
  readonly account: DoctorAccount;
  readonly trail: { name: string; arn: string };
  readonly rules: Map<string, Map<string, string>>;
}

/** A healthy account, except what `skip` leaves out. */
async function stage(skip: { detectorIn?: string } = {}): Promise<Staged> {
  const endpoint = sharedMotoUrl();
  const account = await freshAccount(endpoint);
  const trail = await createTrail(endpoint, account, config.homeRegion);
  const rules = new Map<string, Map<string, string>>();
  await Promise.all(
    regions.map(async (region) => {
      if (region !== skip.detectorIn) await createDetector(account, region);
      rules.set(region, await createRules(account, region, expected));
    }),
  );
  return { account, trail, rules };
}

function checkOf(report: DoctorReport, kind: CheckResult['kind'], region?: string): CheckResult {
  const check = report.checks.find((c) => c.kind === kind && c.region === region);
  if (!check) throw new Error(`no ${kind} check for ${region ?? 'the account'}`);
  return check;
}

describe('runDoctor on the emulator', () => {
  it('passes a healthy account: trail logging all management events, detectors at 15 minutes, rules enabled', async () => {
    const { account, trail } = await stage();
    const report = await runDoctor(config, account.clients);
    expect(report.checks.map((c) => [c.kind, c.region, c.status])).toEqual([
      ['trail', undefined, 'passed'],
      ...regions.map((r) => ['guardduty', r, 'passed']),
      ...regions.map((r) => ['rules', r, 'passed']),
    ]);
    expect(checkOf(report, 'trail').summary).toContain(trail.arn);
    expect(report.status).toBe('passed');
    expect(doctorExitCode(report)).toBe(0);
    expect(renderDoctorReport(report)).not.toMatch(/[✘?!] /);
  });

  it('reports a stopped trail and a missing GuardDuty detector, with their fixes and a non-zero exit', async () => {
    const { account, trail: staged } = await stage({ detectorIn: 'eu-central-1' });
    const trailArn = staged.arn;
    const settings = {
      ...emulatorClientConfig(sharedMotoUrl(), config.homeRegion),
      credentials: account.credentials,
    };
    await new CloudTrailClient(settings).send(new StopLoggingCommand({ Name: staged.name }));

    const report = await runDoctor(config, account.clients);
    const trail = checkOf(report, 'trail');
    expect(trail.status).toBe('missing');
    expect(trail.problems).toEqual([`${trailArn} is not logging (stopped)`]);
    expect(trail.fixes).toEqual([`aws cloudtrail start-logging --name ${trailArn} --region eu-west-1`]);
    const guardduty = checkOf(report, 'guardduty', 'eu-central-1');
    expect(guardduty.status).toBe('missing');
    expect(guardduty.fixes[0]).toBe(
      'aws guardduty create-detector --enable --finding-publishing-frequency FIFTEEN_MINUTES --region eu-central-1',
    );
    expect(checkOf(report, 'guardduty', 'eu-west-1').status).toBe('passed');
    expect(doctorExitCode(report)).toBe(DOCTOR_EXIT_CODES.missing);
    const text = renderDoctorReport(report);
    expect(text).toContain(
      `✘ CloudTrail trail: no multi-region trail is logging read and write management events`,
    );
    expect(text).toContain(`    fix: aws cloudtrail start-logging --name ${trailArn} --region eu-west-1`);
    expect(text).toContain('✘ GuardDuty (eu-central-1): no GuardDuty detector in eu-central-1');
  });

  it('warns, and still exits 0, on a detector publishing every six hours', async () => {
    const { account } = await stage({ detectorIn: 'us-east-1' });
    const id = await createDetector(account, 'us-east-1', 'SIX_HOURS');
    const report = await runDoctor(config, account.clients);
    const check = checkOf(report, 'guardduty', 'us-east-1');
    expect(check.status).toBe('warning');
    expect(check.fixes).toEqual([
      `aws guardduty update-detector --detector-id ${id} --finding-publishing-frequency FIFTEEN_MINUTES --region us-east-1`,
    ]);
    expect(report.status).toBe('warning');
    expect(doctorExitCode(report)).toBe(0);
    expect(renderDoctorReport(report)).toContain('! GuardDuty (us-east-1): ');
  });

  it('finds a disabled rule and a missing rule, naming the rule to enable and the stack to deploy', async () => {
    const { account, rules } = await stage();
    const [disabled, deleted] = [expected[0].detectionId, expected[1].detectionId];
    const client = account.clients.eventbridge('eu-central-1');
    const disabledName = rules.get('eu-central-1')?.get(disabled);
    await client.send(new DisableRuleCommand({ Name: disabledName }));
    await client.send(new DeleteRuleCommand({ Name: rules.get('eu-central-1')?.get(deleted) }));

    const report = await runDoctor(config, account.clients);
    const check = checkOf(report, 'rules', 'eu-central-1');
    expect(check.status).toBe('missing');
    expect(check.problems).toEqual([`no rule for ${deleted}`, `${disabledName} (${disabled}) is DISABLED`]);
    expect(check.fixes).toEqual([
      'npx cdk deploy Cordon-Forwarder-eu-central-1',
      `aws events enable-rule --name ${disabledName} --region eu-central-1`,
    ]);
    expect(checkOf(report, 'rules', 'eu-west-1').status).toBe('passed');
    expect(doctorExitCode(report)).toBe(DOCTOR_EXIT_CODES.missing);
  });
});
