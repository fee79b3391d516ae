import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '../support/temp-dir';

const ROOT = join(__dirname, '..', '..');
/** The feature flags of cdk.json, which `cdk synth` passes to the app. */
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

describe('the CDK app (bin/cordon.ts)', () => {
  const dir = useTempDir('cordon-synth-');

  /** Runs the CDK app as `cdk synth` does (cdk.json's context), with bundling off; `context` as `-c` passes it. */
  function synth(options: { env?: NodeJS.ProcessEnv; context?: Record<string, unknown>; cwd?: string } = {}) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CORDON_CONFIG_FILE: undefined,
      CDK_OUTDIR: join(dir(), 'cdk.out'),
      CDK_CONTEXT_JSON: JSON.stringify({
        ...CDK_JSON_CONTEXT,
        'aws:cdk:bundling-stacks': [],
        ...options.context,
      }),
      ...options.env,
    };
    return spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'bin', 'cordon.ts')], {
      cwd: options.cwd ?? dir(),
      encoding: 'utf8',
      env,
    });
  }

  it('fails synthesis on a bad config, naming each field and value', () => {
    const file = join(dir(), 'cordon.config.json');
    writeFileSync(file, JSON.stringify({ notificationEmails: ['bob.example.com'], regions: ['us-east-9'] }));
    const run = synth({ env: { CORDON_CONFIG_FILE: file } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Invalid Cordon configuration in ${file}`);
    expect(run.stderr).toContain(
      'notificationEmails[0]: "bob.example.com" is not allowed: must be an e-mail address',
    );
    expect(run.stderr).toContain('regions[0]: "us-east-9" is not allowed: must be an AWS region');
  });

  it('fails, naming the file, when -c config= names a file that does not exist', () => {
    const missing = join(dir(), 'missing.json');
    const run = synth({ context: { config: missing } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `Cordon configuration file not found: ${missing} (named "${missing}" by the CDK context "config"`,
    );
  });

  it('fails, naming the file resolved and as given, when CORDON_CONFIG_FILE names a file that does not exist', () => {
    const missing = join(dir(), 'missing.json');
    const absolute = synth({ env: { CORDON_CONFIG_FILE: missing } });
    expect(absolute.status).toBe(1);
    expect(absolute.stderr).toContain(
      `Cordon configuration file not found: ${missing} (named "${missing}" by $CORDON_CONFIG_FILE)`,
    );

    const relative = synth({ env: { CORDON_CONFIG_FILE: 'missing.json' } });
    expect(relative.status).toBe(1);
    expect(relative.stderr).toContain(`${missing} (named "missing.json" by $CORDON_CONFIG_FILE)`);
  });

  it('reads an absolute -c config= path in another folder, and fails naming its bad field', () => {
    const configs = join(dir(), 'configs');
    mkdirSync(configs);
    const file = join(configs, 'prod.json');
    writeFileSync(file, JSON.stringify({ homeRegion: 'us-gov-west-1', regions: ['us-east-1'] }));
    mkdirSync(join(dir(), 'app'));
    const run = synth({ context: { config: file }, cwd: join(dir(), 'app') });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Invalid Cordon configuration in ${file}`);
    expect(run.stderr).toContain(
      'regions[0]: "us-east-1" is not allowed: us-east-1 is in partition aws, but homeRegion us-gov-west-1 is in partition aws-us-gov',
    );
  });

  it('fails with a readable message when the config does not fit the Lambda environment', () => {
    const file = join(dir(), 'big.json');
    const protectedPrincipals = Array.from(
      { length: 200 },
      (_, index) => `arn:aws:iam::123456789012:role/break-glass-${index}`,
    );
    writeFileSync(file, JSON.stringify({ protectedPrincipals }));
    const run = synth({ env: { CORDON_CONFIG_FILE: file } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Cordon configuration in ${file} does not fit:`);
    expect(run.stderr).toContain("over Lambda's limit of 4096 bytes");
    expect(run.stderr).toContain('its largest field: protectedPrincipals has 200 entries');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
