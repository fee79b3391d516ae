import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTestApp } from '../support/cdk';
import { cfnLintErrors } from '../support/cfn-lint';
import { useTempDir } from '../support/temp-dir';
import { INVALID_TEMPLATE } from '../fixtures/stacks/insecure-stack';

describe('cfn-lint', () => {
  const tempDir = useTempDir('cordon-synth-');

  it('reports no error in any synthesized template', () => {
    const outdir = tempDir();
    const { app } = buildTestApp(
      { notificationEmails: ['secops@example.com'], regions: ['eu-west-1', 'ap-southeast-2'] },
      { outdir },
    );
    const assembly = app.synth();
    const templates = assembly.stacks.map((stack) => join(outdir, stack.templateFile));
    expect(templates.length).toBeGreaterThanOrEqual(1);
    expect(cfnLintErrors(templates)).toEqual([]);
  });

  it('fails on a template with an error', () => {
    const file = join(tempDir(), 'bad.template.json');
    writeFileSync(file, JSON.stringify(INVALID_TEMPLATE));
    expect(cfnLintErrors([file])).toEqual([
      expect.objectContaining({ Rule: expect.objectContaining({ Id: 'E3002' }) }),
    ]);
  });
});
