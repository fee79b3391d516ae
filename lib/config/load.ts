import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { cordonConfigSchema, type CordonConfig } from './schema';

export const DEFAULT_CONFIG_FILE = 'cordon.config.json';

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

/** Reads and validates the config file; a missing file means all defaults. */
export function loadConfigFile(path: string = DEFAULT_CONFIG_FILE): CordonConfig {
  if (!existsSync(path)) return parseConfig({}, `defaults (no ${path})`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseConfig(raw, path);
}
