import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { SWEEP_REVERT_SWITCHES } from '../../../lambda/config/schema';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  ConfigFileNotFoundError,
  loadConfigFile,
  loadConfigSource,
  parseConfig,
  resolveConfigSource,
} from '../../../lambda/config/load';

function problemsOf(input: unknown): readonly string[] {
  try {
    parseConfig(input, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Cordon configuration', () => {
  it('has defaults that work without a file', () => {
    const config = loadConfigFile(join(tempDir(), 'absent.json'));
    expect(config).toEqual({
      homeRegion: 'us-east-1',
      regions: [],
      notificationEmails: [],
      mode: 'enforce',
      protectedPrincipals: [],
      honeytokenAccessKeyIds: [],
      guardDutySeverityThreshold: 5,
      detections: {},
      cdkBootstrapQualifier: 'hnb659fds',
      unusualInstanceTypePrefixes: ['p', 'g', 'gr', 'inf', 'trn', 'dl', 'f', 'vt'],
      trail: 'existing',
      prerequisites: { createGuardDutyDetectors: false },
      circuitBreaker: { maxContainments: 10, windowMinutes: 60 },
      roleContainment: { denyAll: false },
      instanceIsolation: { stopInstance: false, revokeRoleSessions: false },
      reverts: { containActor: false },
      sweep: {
        enabled: true,
        lookbackMinutes: 1440,
        derivedCredentialDepth: 2,
        terminateInstances: false,
        reverts: Object.fromEntries(SWEEP_REVERT_SWITCHES.map((name) => [name, true])),
      },
    });
  });

  it('accepts a complete, valid file', () => {
    const file = join(tempDir(), 'cordon.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        homeRegion: 'eu-west-1',
        regions: ['us-east-1', 'eu-central-1'],
        notificationEmails: ['secops@example.com'],
        mode: 'dry-run',
        protectedPrincipals: ['arn:aws:iam::123456789012:role/BreakGlass*'],
        honeytokenAccessKeyIds: ['AKIAHONEYTOKEN000001'],
        guardDutySeverityThreshold: 7,
        responderReservedConcurrency: 5,
        detections: { 'honeytoken-used': { response: 'notify' } },
        cdkBootstrapQualifier: 'team_a-1',
      }),
    );
    expect(loadConfigFile(file)).toMatchObject({
      homeRegion: 'eu-west-1',
      mode: 'dry-run',
      responderReservedConcurrency: 5,
      detections: { 'honeytoken-used': { response: 'notify' } },
      cdkBootstrapQualifier: 'team_a-1',
    });
  });

  it.each([
    [
      { notificationEmails: ['bob.example.com'] },
      'notificationEmails[0]: "bob.example.com" is not allowed: must be an e-mail address',
    ],
    [{ homeRegion: 'us-east-9' }, 'homeRegion: "us-east-9" is not allowed: must be an AWS region'],
    [{ regions: ['eu-west-1', 'mars-1'] }, 'regions[1]: "mars-1" is not allowed: must be an AWS region'],
    [{ mode: 'yolo' }, 'mode: "yolo" is not allowed: must be "enforce" or "dry-run"'],
    [{ guardDutySeverityThreshold: 11 }, 'guardDutySeverityThreshold: 11 is not allowed: must be at most 10'],
    [
      { honeytokenAccessKeyIds: ['AKIA123'] },
      'honeytokenAccessKeyIds[0]: "AKIA123" is not allowed: must be an AWS access key id',
    ],
    [
      { protectedPrincipals: ['BreakGlass'] },
      'protectedPrincipals[0]: "BreakGlass" is not allowed: must be an IAM or STS ARN pattern',
    ],
    [
      { detections: { 'honeytoken-used': { response: 'nuke' } } },
      'detections.honeytoken-used.response: "nuke" is not allowed',
    ],
    [
      { responderReservedConcurrency: 0 },
      'responderReservedConcurrency: 0 is not allowed: must be at least 1',
    ],
    [
      { homeRegion: 'us-east-1', regions: ['us-east-1'] },
      'regions: ["us-east-1"] is not allowed: must not include homeRegion',
    ],
    [{ notifcationEmails: [] }, 'unknown field(s) "notifcationEmails"'],
    [
      { cdkBootstrapQualifier: 'qualifier-11' },
      'cdkBootstrapQualifier: "qualifier-11" is not allowed: must be a CDK bootstrap qualifier: 1 to 10 letters, digits',
    ],
    [
      { cdkBootstrapQualifier: '' },
      'cdkBootstrapQualifier: "" is not allowed: must be a CDK bootstrap qualifier',
    ],
    [
      { cdkBootstrapQualifier: 'hnb 659' },
      'cdkBootstrapQualifier: "hnb 659" is not allowed: must be a CDK bootstrap qualifier',
    ],
    [{ cdkBootstrapQualifier: 7 }, 'cdkBootstrapQualifier: 7 is not allowed: must be a string'],
  ])('refuses %j, naming the field and the value', (input, expected) => {
    expect(problemsOf(input)).toEqual([expect.stringContaining(expected)]);
  });

  it('refuses an unknown detection id, listing the known ids', () => {
    const [problem] = problemsOf({ detections: { 'honeytoken-usd': { enabled: false } } });
    expect(problem).toMatch(
      /^detections\.honeytoken-usd: "honeytoken-usd" is not a known detection id: known ids are .*\bhoneytoken-used\b/,
    );
    expect(problem).toContain('guardduty-iam-credential-finding, ');
  });

  it.each([
    ['us-gov-west-1', 'us-east-1', 'aws', 'aws-us-gov'],
    ['us-east-1', 'cn-north-1', 'aws-cn', 'aws'],
    ['cn-northwest-1', 'us-gov-east-1', 'aws-us-gov', 'aws-cn'],
  ])(
    'refuses homeRegion %s with regions [%s]: partitions differ, both named',
    (homeRegion, other, otherPartition, homePartition) => {
      expect(problemsOf({ homeRegion, regions: [other] })).toEqual([
        `regions[0]: "${other}" is not allowed: ${other} is in partition ${otherPartition}, but homeRegion ` +
          `${homeRegion} is in partition ${homePartition}: one deployment covers one partition ` +
          '(aws, aws-us-gov and aws-cn are separate, with their own accounts and IAM)',
      ]);
    },
  );

  it('accepts regions of the home partition', () => {
    expect(parseConfig({ homeRegion: 'us-gov-west-1', regions: ['us-gov-east-1'] }).regions).toEqual([
      'us-gov-east-1',
    ]);
    expect(parseConfig({ homeRegion: 'cn-north-1', regions: ['cn-northwest-1'] }).regions).toEqual([
      'cn-northwest-1',
    ]);
  });

  it('reports a file that is not JSON with its path', () => {
    const file = join(tempDir(), 'cordon.config.json');
    writeFileSync(file, '{ "mode": ');
    expect(() => loadConfigFile(file)).toThrow(new RegExp(`${file}[\\s\\S]*not valid JSON`));
  });

  it('reports a named path that is a folder with its path, not a raw read error', () => {
    const dir = tempDir();
    expect(() => loadConfigFile(dir, { required: true })).toThrow(
      new RegExp(`Invalid Cordon configuration in ${dir}:[\\s\\S]*cannot be read: EISDIR`),
    );
  });
});

describe('which config file is read', () => {
  it('is the named file, else $CORDON_CONFIG_FILE, else cordon.config.json, resolved against cwd', () => {
    const env = { CORDON_CONFIG_FILE: 'from-env.json' };
    const named = { file: 'named.json', by: '--config' };
    expect(resolveConfigSource({ named, env, cwd: '/work/a' })).toEqual({
      path: '/work/a/named.json',
      given: 'named.json',
      namedBy: '--config',
    });
    expect(resolveConfigSource({ named: { file: undefined, by: '--config' }, env, cwd: '/work/a' })).toEqual({
      path: '/work/a/from-env.json',
      given: 'from-env.json',
      namedBy: '$CORDON_CONFIG_FILE',
    });
    expect(resolveConfigSource({ env: {}, cwd: '/work/a' })).toEqual({
      path: '/work/a/cordon.config.json',
      given: 'cordon.config.json',
      namedBy: undefined,
    });
  });

  it('keeps an absolute name as it is, whatever the cwd', () => {
    expect(
      resolveConfigSource({ named: { file: '/tmp/dry.json', by: '--config' }, env: {}, cwd: '/work/a' }).path,
    ).toBe('/tmp/dry.json');
    expect(resolveConfigSource({ env: { CORDON_CONFIG_FILE: '/etc/c.json' }, cwd: '/work/a' }).path).toBe(
      '/etc/c.json',
    );
  });

  it('counts an empty name as none', () => {
    expect(
      resolveConfigSource({
        named: { file: '', by: '--config' },
        env: { CORDON_CONFIG_FILE: '' },
        cwd: '/w',
      }),
    ).toMatchObject({ path: '/w/cordon.config.json', namedBy: undefined });
  });

  it('refuses a named file that does not exist, naming it resolved and as given', () => {
    const dir = tempDir();
    const source = resolveConfigSource({ named: { file: 'dry.json', by: '--config' }, env: {}, cwd: dir });
    let thrown: unknown;
    try {
      loadConfigSource(source);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigFileNotFoundError);
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toBe(
      `Cordon configuration file not found: ${join(dir, 'dry.json')} (named "dry.json" by --config). ` +
        'Only the default cordon.config.json, when no file is named, may be absent.',
    );
  });

  it('means the defaults when the default file is absent and nothing was named', () => {
    const source = resolveConfigSource({ env: {}, cwd: tempDir() });
    expect(loadConfigSource(source)).toMatchObject({ mode: 'enforce', homeRegion: 'us-east-1' });
  });

  it('reads an existing named file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dry.json'), JSON.stringify({ mode: 'dry-run' }));
    const source = resolveConfigSource({ env: { CORDON_CONFIG_FILE: 'dry.json' }, cwd: dir });
    expect(loadConfigSource(source).mode).toBe('dry-run');
  });
});
