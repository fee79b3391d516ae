import { CloudTrailClient, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cordonConfigSchema } from '../../../../lambda/config/schema';
import { DOCTOR_EXIT_CODES } from '../../../../lambda/doctor/exit-code';
import { expectedDetectionRules } from '../../../../lambda/doctor/expected-rules';
import type { DoctorReport } from '../../../../lambda/doctor/types';
import { runCordon } from '../../../support/cli';
import { emulatorClientConfig, sharedMotoUrl } from '../../../support/moto';
import {
  createDetector,
  createRules,
  createTrail,
  freshAccount,
  type DoctorAccount,
} from '../../doctor/doctor-account';

/** One watched region besides home; us-east-1 is home, so no global-events forwarder is added. */
const CONFIG = { homeRegion: 'us-east-1', regions: ['eu-west-1'] } as const;
const REGIONS = ['us-east-1', 'eu-west-1'];

describe('cordon doctor (the real binary, on the emulator)', () => {
  let workdir: string;
  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'cordon-doctor-'));
    mkdirSync(join(workdir, 'settings'));
    mkdirSync(join(workdir, 'elsewhere'));
    writeFileSync(join(workdir, 'settings', 'cordon.json'), JSON.stringify(CONFIG));
  });
  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  /** `cordon doctor` run from workdir/elsewhere, the config named relative to it. */
  const doctor = (account: DoctorAccount, extra: string[] = []) =>
    runCordon(['doctor', '--config', '../settings/cordon.json', ...extra], {
      cwd: join(workdir, 'elsewhere'),
      env: account.env,
    });

  async function stageHealthy(): Promise<{ account: DoctorAccount; trail: { name: string; arn: string } }> {
    const account = await freshAccount(sharedMotoUrl());
    const trail = await createTrail(sharedMotoUrl(), account, 'us-east-1');
    const expected = expectedDetectionRules(cordonConfigSchema.parse(CONFIG));
    await Promise.all(REGIONS.map((region) => createRules(account, region, expected)));
    return { account, trail };
  }

  it('exits 0 with a checklist of passes on a healthy account, reading the config named relative to the folder it runs in', async () => {
    const { account } = await stageHealthy();
    await Promise.all(REGIONS.map((region) => createDetector(account, region)));
    const run = await doctor(account);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // eu-west-1 is checked only because the config named it: the config was read.
    expect(run.stdout).toContain('✔ GuardDuty (eu-west-1): ');
    expect(run.stdout).toContain("✔ Cordon's EventBridge rules (eu-west-1): ");
    expect(run.stdout).toMatch(/^✔ CloudTrail trail: /m);
    expect(run.stdout).toContain('Everything Cordon needs is in place.');
  }, 60_000);

  it('reports a stopped trail and a missing GuardDuty detector with their fixes and the "missing" exit code', async () => {
    const { account, trail } = await stageHealthy();
    await createDetector(account, 'us-east-1');
    await new CloudTrailClient({
      ...emulatorClientConfig(sharedMotoUrl(), 'us-east-1'),
      credentials: account.credentials,
    }).send(new StopLoggingCommand({ Name: trail.name }));

    const run = await doctor(account);
    expect(run.status).toBe(DOCTOR_EXIT_CODES.missing);
    expect(run.stdout).toContain(
      '✘ CloudTrail trail: no multi-region trail is logging read and write management events\n' +
        `    ${trail.arn} is not logging (stopped)\n` +
        `    fix: aws cloudtrail start-logging --name ${trail.arn} --region us-east-1\n`,
    );
    expect(run.stdout).toContain(
      '✘ GuardDuty (eu-west-1): no GuardDuty detector in eu-west-1\n' +
        '    GuardDuty is not on in eu-west-1: its findings never reach Cordon\n' +
        '    fix: aws guardduty create-detector --enable --finding-publishing-frequency FIFTEEN_MINUTES --region eu-west-1\n',
    );

    const json = await doctor(account, ['--json']);
    expect(json.status).toBe(DOCTOR_EXIT_CODES.missing);
    const report = JSON.parse(json.stdout) as DoctorReport;
    expect(report.status).toBe('missing');
    expect(report.checks.map((c) => [c.kind, c.region ?? null, c.status])).toEqual([
      ['trail', null, 'missing'],
      ['guardduty', 'us-east-1', 'passed'],
      ['guardduty', 'eu-west-1', 'missing'],
      ['rules', 'us-east-1', 'passed'],
      ['rules', 'eu-west-1', 'passed'],
    ]);
  }, 60_000);

  it('exits 2 with a clear message when --config names a file that does not exist', async () => {
    const account = await freshAccount(sharedMotoUrl());
    const run = await runCordon(['doctor', '--config', 'missing/cordon.json'], {
      cwd: join(workdir, 'elsewhere'),
      env: account.env,
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('missing/cordon.json');
    expect(run.stderr).toContain(join(workdir, 'elsewhere', 'missing', 'cordon.json'));
    expect(run.stderr).toContain('(see cordon doctor --help)');
  });

  it('exits 2 with usage on an unknown option or an argument', async () => {
    const account = await freshAccount(sharedMotoUrl());
    for (const args of [['--region', 'x'], ['extra']]) {
      const run = await runCordon(['doctor', ...args], { cwd: workdir, env: account.env });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('Usage: cordon doctor [--config FILE] [--json]');
    }
  }, 120_000);
});
