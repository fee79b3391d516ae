import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const LAMBDA = join(__dirname, '..', '..', 'lambda');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The runtime code is bundled into the Lambdas: the CDK app and aws-cdk-lib must never be in it. */
describe('lambda/ imports', () => {
  it.each(sources(LAMBDA).map((file) => [relative(LAMBDA, file), file] as const))(
    '%s imports neither lib/ nor aws-cdk-lib',
    (_name, file) => {
      const specifiers = [
        ...readFileSync(file, 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g),
      ].map((match) => match[1]);
      expect(specifiers.filter((s) => /(^|\/)lib\//.test(s) && s.startsWith('.'))).toEqual([]);
      expect(
        specifiers.filter((s) => s === 'aws-cdk-lib' || s.startsWith('aws-cdk-lib/') || s === 'constructs'),
      ).toEqual([]);
    },
  );
});
