/**
 * Checks that cannot run. moto answers every call of a fresh account, so the refusal is made with
 * aws-sdk-client-mock on one client each (AccessDenied, which moto gives only with IAM enforcement
 * and for no GuardDuty call); every other client talks to the emulator.
 */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { cordonConfigSchema } from '../../../lambda/config/schema';
import type { DoctorClients } from '../../../lambda/doctor/clients';
import { runDoctor } from '../../../lambda/doctor/doctor';
import { DOCTOR_EXIT_CODES, doctorExitCode } from '../../../lambda/doctor/exit-code';
import { coveredRegions, expectedDetectionRules } from '../../../lambda/doctor/expected-rules';
import { renderDoctorReport } from '../../../lambda/doctor/render';
import { sharedMotoUrl } from '../../support/moto';
import { createDetector, createRules, createTrail, freshAccount, type DoctorAccount } from './doctor-account';

const config = cordonConfigSchema.parse({ homeRegion: 'us-east-1', regions: ['eu-west-1'] });

const accessDenied = () =>
  Object.assign(new Error('User is not authorized to perform this operation'), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 403 },
  });

async function healthyAccount(): Promise<DoctorAccount> {
  const account = await freshAccount(sharedMotoUrl());
  await createTrail(sharedMotoUrl(), account, config.homeRegion);
  for (const region of coveredRegions(config)) {
    await createDetector(account, region);
    await createRules(account, region, expectedDetectionRules(config));
  }
  return account;
}

describe('runDoctor when a check cannot run', () => {
  let account: DoctorAccount;
  beforeAll(async () => {
    account = await healthyAccount();
  }, 60_000);

  it('passes the healthy account when nothing is refused (the baseline of the cases below)', async () => {
    expect((await runDoctor(config, account.clients)).status).toBe('passed');
  });

  it('reports GuardDuty refused in one region as "could not check" with the error, never as passed', async () => {
    const denied = new GuardDutyClient({ region: 'eu-west-1' });
    mockClient(denied).onAnyCommand().rejects(accessDenied());
    const clients: DoctorClients = {
      ...account.clients,
      guardduty: (region) => (region === 'eu-west-1' ? denied : account.clients.guardduty(region)),
    };
    const report = await runDoctor(config, clients);
    const check = report.checks.find((c) => c.kind === 'guardduty' && c.region === 'eu-west-1');
    expect(check).toMatchObject({
      status: 'could-not-check',
      errors: [
        { name: 'AccessDeniedException', message: 'User is not authorized to perform this operation' },
      ],
    });
    expect(report.checks.filter((c) => c !== check).every((c) => c.status === 'passed')).toBe(true);
    expect(report.status).toBe('could-not-check');
    expect(doctorExitCode(report)).toBe(DOCTOR_EXIT_CODES.unchecked);
    expect(renderDoctorReport(report)).toContain(
      '? GuardDuty (eu-west-1): could not read GuardDuty in eu-west-1\n' +
        '    could not check: AccessDeniedException: User is not authorized to perform this operation',
    );
  });

  it('does not take a trail whose status is refused as logging, and a missing rule still wins the exit code', async () => {
    const trailArn = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail';
    const cloudtrail = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(cloudtrail);
    mock.on(DescribeTrailsCommand).resolves({
      trailList: [
        { Name: 'org-trail', TrailARN: trailArn, HomeRegion: 'us-east-1', IsMultiRegionTrail: true },
      ],
    });
    mock.on(GetTrailStatusCommand).rejects(accessDenied());
    mock
      .on(GetEventSelectorsCommand)
      .resolves({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] });
    const clients: DoctorClients = { ...account.clients, cloudtrail: () => cloudtrail };

    const report = await runDoctor(config, clients);
    const trail = report.checks.find((c) => c.kind === 'trail');
    expect(trail).toMatchObject({
      status: 'could-not-check',
      problems: [],
      errors: [{ name: 'AccessDeniedException' }],
    });
    expect(doctorExitCode(report)).toBe(DOCTOR_EXIT_CODES.unchecked);

    const withoutRules = await runDoctor(
      cordonConfigSchema.parse({
        homeRegion: 'us-east-1',
        regions: ['eu-west-1'],
        honeytokenAccessKeyIds: ['AKIAIOSFODNN7HONEY02'],
      }),
      clients,
    );
    expect(withoutRules.checks.find((c) => c.kind === 'rules')?.problems).toEqual([
      'no rule for honeytoken-used',
    ]);
    expect(withoutRules.status).toBe('missing');
    expect(doctorExitCode(withoutRules)).toBe(DOCTOR_EXIT_CODES.missing);
  });
});
