import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestApp } from '../support/cdk';
import { cfnLintErrors } from '../support/cfn-lint';
import { INVALID_TEMPLATE } from '../fixtures/stacks/insecure-stack';

describe('cfn-lint', () => {
  it('reports no error in any synthesized template', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cordon-synth-'));
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
    const file = join(mkdtempSync(join(tmpdir(), 'cordon-lint-')), 'bad.template.json');
    writeFileSync(file, JSON.stringify(INVALID_TEMPLATE));
    expect(cfnLintErrors([file])).toEqual([
      expect.objectContaining({ Rule: expect.objectContaining({ Id: 'E3002' }) }),
    ]);
  });
});
