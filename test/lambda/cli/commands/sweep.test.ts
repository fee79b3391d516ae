/**
 * `cordon sweep` through the real binary, from another folder with a relative config, against the
 * emulator (EC2, IAM) with LookupEvents alone served by the fixture (AWS_ENDPOINT_URL_CLOUDTRAIL).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { EXIT_CODES } from '../../../../lambda/cli/exit-codes';
import { CloudTrailFixture } from '../../../support/cloudtrail-fixture';
import { cloudTrailRecord } from '../../../support/cloudtrail-records';
import { emulatorCliEnv, runCordon } from '../../../support/cli';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../../support/moto';
import { useTempDir } from '../../../support/temp-dir';

describe('cordon sweep (the real binary, on the emulator)', () => {
  const url = sharedMotoUrl();
  const iam = new IAMClient(emulatorClientConfig(url));
  const dir = useTempDir('cordon-sweep-cli-');
  let fixture: CloudTrailFixture;
  afterEach(() => fixture?.stop());

  async function stage() {
    const owner = uniqueName('ci');
    await iam.send(new CreateUserCommand({ UserName: owner }));
    const planted = (await iam.send(new CreateAccessKeyCommand({ UserName: owner }))).AccessKey!.AccessKeyId!;
    const stolen = 'AKIAEXAMPLESTOLEN' + String(Math.floor(Math.random() * 900) + 100);
    const record = cloudTrailRecord({
      accessKeyId: stolen,
      userName: 'stolen',
      region: 'us-east-1',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateAccessKey',
      time: new Date('2026-12-01T10:00:00Z'),
      requestParameters: { userName: owner },
      responseElements: { accessKey: { userName: owner, accessKeyId: planted, status: 'Active' } },
    });
    fixture = await CloudTrailFixture.start({ timeline: { 'us-east-1': [record] } });
    mkdirSync(join(dir(), 'settings'));
    mkdirSync(join(dir(), 'elsewhere'));
    writeFileSync(
      join(dir(), 'settings', 'cordon.json'),
      JSON.stringify({ sweep: { derivedCredentialDepth: 0 } }),
    );
    const env = {
      ...emulatorCliEnv(url, emulatorClientConfig(url).credentials),
      AWS_ENDPOINT_URL_CLOUDTRAIL: fixture.url,
    };
    const status = async () =>
      (await iam.send(new ListAccessKeysCommand({ UserName: owner }))).AccessKeyMetadata?.[0]?.Status;
    return { stolen, env, status };
  }

  const sweep = (args: string[], env: NodeJS.ProcessEnv) =>
    runCordon(['sweep', '--config', '../settings/cordon.json', '--since', '2026-12-01T00:00:00Z', ...args], {
      cwd: join(dir(), 'elsewhere'),
      env,
    });

  it('a dry run lists the planted key and changes nothing; the real run deactivates it and shows progress; restore puts it back', async () => {
    const { stolen, env, status } = await stage();
    const dryRun = await sweep(['--access-key-id', stolen, '--dry-run'], env);
    expect(dryRun.status).toBe(EXIT_CODES.dryRun);
    expect(dryRun.stdout).toContain('What would be done (nothing was changed)');
    expect(dryRun.stdout).toContain('planned: deactivate-created-access-key');
    await expect(status()).resolves.toBe('Active');

    const real = await sweep(['--access-key-id', stolen], env);
    expect(real.stderr).toMatch(/sweep AKIA\w+ us-east-1: page 1, 1 events, 1 actions \(done\)/);
    expect(real.status).toBe(EXIT_CODES.ok);
    expect(real.stdout).toContain('done: deactivate-created-access-key');
    await expect(status()).resolves.toBe('Inactive');

    const incidentId = /Cordon incident (\S+): damage report/.exec(real.stdout)?.[1];
    expect(incidentId).toBeDefined();
    const restore = await runCordon(['restore', incidentId!], { cwd: join(dir(), 'elsewhere'), env });
    expect(restore.status).toBe(EXIT_CODES.ok);
    await expect(status()).resolves.toBe('Active');
  });

  it('stops at its time budget with exit 11 and the command that continues it, which finishes the sweep', async () => {
    const { stolen, env, status } = await stage();
    const cut = await sweep(['--access-key-id', stolen, '--time-budget', '0.001'], env);
    expect(cut.status).toBe(EXIT_CODES.incomplete);
    const continuation = /cordon sweep --incident (\S+)/.exec(cut.stderr)?.[1];
    expect(continuation).toBeDefined();
    await expect(status()).resolves.toBe('Active');
    const rest = await runCordon(['sweep', '--incident', continuation!], {
      cwd: join(dir(), 'elsewhere'),
      env,
    });
    expect(rest.status).toBe(EXIT_CODES.ok);
    await expect(status()).resolves.toBe('Inactive');
  });

  it('refuses bad input with exit 2 and says what was wrong', async () => {
    const { env } = await stage();
    const cases: [string[], RegExp][] = [
      [[], /expected --access-key-id KEY/],
      [['--access-key-id', 'nope'], /"nope" is not an access key id/],
      [['--access-key-id', 'AKIAEXAMPLESTOLEN001', '--incident', 'x'], /do not go together/],
      [['--incident', 'inc-none'], /no sweep of incident inc-none/],
      [
        ['--access-key-id', 'AKIAEXAMPLESTOLEN001', '--time-budget', 'soon'],
        /"soon" is not a positive number/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runCordon(['sweep', ...args], { cwd: join(dir(), 'elsewhere'), env });
      expect({ args, status: run.status }).toEqual({ args, status: EXIT_CODES.usage });
      expect(run.stderr).toMatch(message);
    }
  });
});
