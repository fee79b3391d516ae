import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '../../../lib/config/load';

function problemsOf(input: unknown): readonly string[] {
  try {
    parseConfig(input, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('Cordon configuration', () => {
  it('has defaults that work without a file', () => {
    const config = loadConfigFile(join(mkdtempSync(join(tmpdir(), 'cordon-')), 'absent.json'));
    expect(config).toEqual({
      homeRegion: 'us-east-1',
      regions: [],
      notificationEmails: [],
      mode: 'enforce',
      protectedPrincipals: [],
      honeytokenAccessKeyIds: [],
      guardDutySeverityThreshold: 5,
      detections: {},
      unusualInstanceTypePrefixes: ['p', 'g', 'gr', 'inf', 'trn', 'dl', 'f', 'vt'],
      prerequisites: { createTrail: false, createGuardDutyDetectors: false },
      circuitBreaker: { maxContainments: 10, windowMinutes: 60 },
    });
  });

  it('accepts a complete, valid file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-'));
    const file = join(dir, 'cordon.config.json');
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
      }),
    );
    expect(loadConfigFile(file)).toMatchObject({
      homeRegion: 'eu-west-1',
      mode: 'dry-run',
      responderReservedConcurrency: 5,
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
  ])('refuses %j, naming the field and the value', (input, expected) => {
    expect(problemsOf(input)).toEqual([expect.stringContaining(expected)]);
  });

  it('reports a file that is not JSON with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-'));
    const file = join(dir, 'cordon.config.json');
    writeFileSync(file, '{ "mode": ');
    expect(() => loadConfigFile(file)).toThrow(new RegExp(`${file}[\\s\\S]*not valid JSON`));
  });
});
