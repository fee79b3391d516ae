import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('the CDK app (bin/cordon.ts)', () => {
  it('fails synthesis on a bad config, naming each field and value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-'));
    const file = join(dir, 'cordon.config.json');
    writeFileSync(file, JSON.stringify({ notificationEmails: ['bob.example.com'], regions: ['us-east-9'] }));
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'bin', 'cordon.ts')], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        CORDON_CONFIG_FILE: file,
        CDK_OUTDIR: join(dir, 'cdk.out'),
        CDK_CONTEXT_JSON: '{"aws:cdk:bundling-stacks":[]}',
      },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Invalid Cordon configuration in ${file}`);
    expect(run.stderr).toContain(
      'notificationEmails[0]: "bob.example.com" is not allowed: must be an e-mail address',
    );
    expect(run.stderr).toContain('regions[0]: "us-east-9" is not allowed: must be an AWS region');
  });
});
