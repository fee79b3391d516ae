import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadCliConfig } from '../../../lambda/cli/responder-setup';
import { UsageError, type CliIo } from '../../../lambda/cli/usage';
import { useTempDir } from '../../support/temp-dir';

function ioIn(cwd: string, env: NodeJS.ProcessEnv = {}): CliIo {
  return { stdout: { write: () => true }, stderr: { write: () => true }, stdin: new PassThrough(), env, cwd };
}

function usageErrorOf(load: () => unknown): UsageError {
  try {
    load();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('loadCliConfig', () => {
  const dir = useTempDir('cordon-cli-config-');
  let cwd: string;
  let elsewhere: string;
  beforeEach(() => {
    cwd = join(dir(), 'cwd');
    elsewhere = join(dir(), 'elsewhere');
    mkdirSync(cwd);
    mkdirSync(elsewhere);
  });

  it('reads an absolute --config path as it is, not under the cwd', () => {
    const file = join(elsewhere, 'dry.json');
    writeFileSync(file, JSON.stringify({ mode: 'dry-run' }));
    expect(loadCliConfig(file, ioIn(cwd)).mode).toBe('dry-run');
  });

  it('reads a relative --config path against io.cwd', () => {
    writeFileSync(join(cwd, 'dry.json'), JSON.stringify({ mode: 'dry-run' }));
    expect(loadCliConfig('dry.json', ioIn(cwd)).mode).toBe('dry-run');
    expect(loadCliConfig('../cwd/dry.json', ioIn(elsewhere)).mode).toBe('dry-run');
  });

  it('refuses a --config file that does not exist, naming it, instead of using the defaults', () => {
    const error = usageErrorOf(() => loadCliConfig('dry.json', ioIn(cwd)));
    expect(error.message).toContain(`Cordon configuration file not found: ${join(cwd, 'dry.json')}`);
    expect(error.message).toContain('(named "dry.json" by --config)');
  });

  it('takes $CORDON_CONFIG_FILE (from io.env) when there is no --config, and refuses it when missing', () => {
    writeFileSync(join(elsewhere, 'dry.json'), JSON.stringify({ mode: 'dry-run' }));
    const env = { CORDON_CONFIG_FILE: join(elsewhere, 'dry.json') };
    expect(loadCliConfig(undefined, ioIn(cwd, env)).mode).toBe('dry-run');

    writeFileSync(join(cwd, 'enforce.json'), JSON.stringify({ mode: 'enforce' }));
    expect(loadCliConfig('enforce.json', ioIn(cwd, env)).mode).toBe('enforce');

    const missing = usageErrorOf(() =>
      loadCliConfig(undefined, ioIn(cwd, { CORDON_CONFIG_FILE: 'gone.json' })),
    );
    expect(missing.message).toContain(`${join(cwd, 'gone.json')} (named "gone.json" by $CORDON_CONFIG_FILE)`);
  });

  it('uses cordon.config.json of io.cwd, or the defaults when it is absent', () => {
    expect(loadCliConfig(undefined, ioIn(cwd)).mode).toBe('enforce');
    writeFileSync(join(cwd, 'cordon.config.json'), JSON.stringify({ mode: 'dry-run' }));
    expect(loadCliConfig(undefined, ioIn(cwd)).mode).toBe('dry-run');
  });

  it('refuses a bad file with a UsageError naming the field', () => {
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ mode: 'yolo' }));
    expect(usageErrorOf(() => loadCliConfig('bad.json', ioIn(cwd))).message).toContain(
      `Invalid Cordon configuration in ${join(cwd, 'bad.json')}`,
    );
  });
});
