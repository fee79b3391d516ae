import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  LambdaEnvironmentTooLargeError,
  Responder,
  environmentBytes,
  environmentValueBytes,
  largestJsonField,
} from '../../../lib/constructs/responder';
import { buildTestApp } from '../../support/cdk';
import { useTempDir } from '../../support/temp-dir';

describe('Responder bundling (for real, with the local esbuild)', () => {
  const tempDir = useTempDir('cordon-bundle-');

  it('bundles the handler minified, with a source map, without Docker', () => {
    const outdir = tempDir();
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

describe("the responder's environment and Lambda's 4 KB limit", () => {
  const principals = (count: number) =>
    Array.from(
      { length: count },
      (_, index) => `arn:aws:iam::123456789012:role/break-glass-${String(index).padStart(4, '0')}`,
    );

  it('counts names and values, each deploy-time token at its longest', () => {
    const stack = new Stack(new App(), 'Sizes');
    const topic = new sns.Topic(stack, 'Topic');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const table = new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    expect(environmentValueBytes('é')).toBe(2);
    expect(environmentValueBytes(topic.topicArn)).toBe(256);
    expect(environmentValueBytes(bucket.bucketName)).toBe(63);
    expect(environmentValueBytes(table.tableName)).toBe(255);
    expect(environmentValueBytes(`s3://${bucket.bucketName}/x`)).toBe(5 + 63 + 2);
    expect(environmentBytes({ A: 'bc', T: topic.topicArn })).toBe(1 + 2 + 1 + 256);
  });

  it('names the largest field of a JSON value', () => {
    expect(largestJsonField(JSON.stringify({ mode: 'enforce', protectedPrincipals: principals(3) }))).toEqual(
      {
        field: 'protectedPrincipals',
        bytes: JSON.stringify(principals(3)).length,
        description: 'protectedPrincipals has 3 entries',
      },
    );
    expect(largestJsonField('not json')).toBeUndefined();
  });

  it('accepts an environment of exactly 4096 bytes and refuses one byte more', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Limit');
    const topic = new sns.Topic(stack, 'Topic');
    // NODE_OPTIONS=--enable-source-maps (12 + 20 bytes) and CORDON_TOPIC_ARN=<topic ARN> (16 + 256).
    const fixed = 12 + 20 + 16 + 256 + 'PAD'.length;
    const environment = (pad: number) => ({ CORDON_TOPIC_ARN: topic.topicArn, PAD: 'x'.repeat(pad) });
    expect(
      () => new Responder(stack, 'Fits', { roleName: 'fits', environment: environment(4096 - fixed) }),
    ).not.toThrow();
    expect(
      () => new Responder(stack, 'TooBig', { roleName: 'too-big', environment: environment(4097 - fixed) }),
    ).toThrow(LambdaEnvironmentTooLargeError);
    expect(
      () =>
        new Responder(stack, 'TooBig2', { roleName: 'too-big-2', environment: environment(4097 - fixed) }),
    ).toThrow(
      /would take 4097 bytes, over Lambda's limit of 4096 bytes.*PAD is the largest variable \(\d+ bytes\)\./,
    );
  });

  it('passes with the default config', () => {
    expect(() => buildTestApp({})).not.toThrow();
  });

  it('fails the home stack, before any deploy, on 200 protected principal patterns, naming the field', () => {
    let thrown: unknown;
    try {
      buildTestApp({ protectedPrincipals: principals(200) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LambdaEnvironmentTooLargeError);
    const { message, bytes } = thrown as LambdaEnvironmentTooLargeError;
    expect(bytes).toBeGreaterThan(4096);
    expect(message).toContain(`The responder Lambda's environment would take ${bytes} bytes`);
    expect(message).toContain("over Lambda's limit of 4096 bytes");
    expect(message).toContain('CORDON_CONFIG is the largest variable');
    expect(message).toContain('its largest field: protectedPrincipals has 200 entries');
  });
});
