import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildTestApp } from '../../support/cdk';

describe('Responder bundling (for real, with the local esbuild)', () => {
  it('bundles the handler minified, with a source map, without Docker', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cordon-bundle-'));
    const { stacks } = buildTestApp(
      {},
      { bundle: true, outdir, context: { 'aws:cdk:enable-asset-metadata': true } },
    );
    const template = Template.fromStack(stacks.home);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Metadata: { 'aws:asset:path': string };
    }[];
    const assetDir = join(outdir, fn.Metadata['aws:asset:path']);
    const bundle = join(assetDir, 'index.js');
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const code = readFileSync(bundle, 'utf8');
    expect(code).toContain('sourceMappingURL=index.js.map');
    // Minified: long lines (template literals keep a few line breaks).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    // Tree-shaken: the CDK (synth-time only) is not in the Lambda's bundle.
    expect(code).not.toContain('aws-cdk-lib');
    expect(statSync(bundle).size).toBeLessThan(5 * 1024 * 1024);
    // The bundle is self-contained CommonJS that exports the handler.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the built bundle as Lambda does
    const loaded = require(bundle) as { handler?: unknown };
    expect(typeof loaded.handler).toBe('function');
  });
});
