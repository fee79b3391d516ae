import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { cordonConfigSchema, type CordonConfig } from './schema';

export const DEFAULT_CONFIG_FILE = 'cordon.config.json';
/** The environment variable that names the config file (after `--config` / `-c config=`, before the default). */
export const CONFIG_FILE_ENV = 'CORDON_CONFIG_FILE';

/** A configuration that cannot be used, with one line per problem naming the field and the value. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid Cordon configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A config file that was named (by an option, the CDK context or the environment) and does not exist. */
export class ConfigFileNotFoundError extends ConfigError {
  constructor(
    readonly path: string,
    readonly given: string,
    readonly namedBy: string,
  ) {
    const problem = `no such file: ${path} (named "${given}" by ${namedBy}; only the default ${DEFAULT_CONFIG_FILE}, when not named, may be absent)`;
    super(path, [problem]);
    this.message = `Cordon configuration file not found: ${path} (named "${given}" by ${namedBy}). Only the default ${DEFAULT_CONFIG_FILE}, when no file is named, may be absent.`;
    this.name = 'ConfigFileNotFoundError';
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );
}

function describeIssue(input: unknown, issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') {
    // A record key refused by its key schema, whose messages are whole sentences naming the key.
    return `${formatPath(issue.path)}: ${issue.issues.map((inner) => inner.message).join('; ')}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? `${formatPath(issue.path)}: ` : '';
    return `${where}unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  const value = valueAt(input, issue.path);
  const shown = value === undefined ? 'missing' : JSON.stringify(value);
  return `${formatPath(issue.path) || '(root)'}: ${shown} is not allowed: ${issue.message}`;
}

/** Validates a configuration object; throws ConfigError naming each bad field, its value and what is allowed. */
export function parseConfig(input: unknown, source = 'configuration'): CordonConfig {
  const result = cordonConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(
    source,
    result.error.issues.map((issue) => describeIssue(input, issue)),
  );
}

/** Which config file to read, and whether it was named (then it must exist) or is the default. */
export interface ConfigSource {
  /** The absolute path. */
  readonly path: string;
  /** The name as it was given (or the default's name). */
  readonly given: string;
  /** What named it (`--config`, `the CDK context "config"`, `$CORDON_CONFIG_FILE`); undefined for the default. */
  readonly namedBy?: string;
}

export interface ConfigSourceOptions {
  /** The file named by the command (CLI `--config`, CDK context `config`), and what named it. */
  readonly named?: { readonly file: string | undefined; readonly by: string };
  readonly env: NodeJS.ProcessEnv;
  /** Relative names are resolved against this directory. */
  readonly cwd: string;
}

/**
 * The config file to read: the one the command names, else the one $CORDON_CONFIG_FILE names,
 * else cordon.config.json. An empty name counts as none.
 */
export function resolveConfigSource({ named, env, cwd }: ConfigSourceOptions): ConfigSource {
  const fromEnv = env[CONFIG_FILE_ENV];
  const source = (given: string, namedBy?: string): ConfigSource => ({
    path: resolve(cwd, given),
    given,
    namedBy,
  });
  if (named?.file) return source(named.file, named.by);
  if (fromEnv) return source(fromEnv, `$${CONFIG_FILE_ENV}`);
  return source(DEFAULT_CONFIG_FILE);
}

export interface LoadConfigOptions {
  /**
   * The file was named by the user: a missing file is a ConfigFileNotFoundError, not the defaults.
   * Only the default file, when nobody named it, may be absent.
   */
  readonly required?: boolean;
  /** The name as the user gave it, for the error (default: the path). */
  readonly given?: string;
  /** What named it, for the error (default: "the caller"). */
  readonly namedBy?: string;
}

/**
 * Reads and validates a config file. A missing file means all defaults, unless `required` (the file
 * was named): then it is a ConfigFileNotFoundError naming the file, resolved and as given.
 */
export function loadConfigFile(
  path: string = DEFAULT_CONFIG_FILE,
  options: LoadConfigOptions = {},
): CordonConfig {
  if (!existsSync(path)) {
    if (options.required) {
      throw new ConfigFileNotFoundError(
        resolve(path),
        options.given ?? path,
        options.namedBy ?? 'the caller',
      );
    }
    return parseConfig({}, `defaults (no ${path})`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot be read: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseConfig(raw, path);
}

/** Loads the config a ConfigSource names: a named file must exist, the default may be absent. */
export function loadConfigSource(source: ConfigSource): CordonConfig {
  return loadConfigFile(source.path, {
    required: source.namedBy !== undefined,
    given: source.given,
    namedBy: source.namedBy,
  });
}
