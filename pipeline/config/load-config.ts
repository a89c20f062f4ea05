/**
 * Loads the configuration: defaults, then a JSON file, then environment overrides.
 *
 * Environment overrides are `COLLAR__SECTION__KEY=value`, the key in SCREAMING_SNAKE_CASE
 * (`COLLAR__AUDIO__FRAME_MS=10` sets `audio.frameMs`). Values are read as JSON when they
 * parse as JSON (numbers, booleans, quoted strings), otherwise as plain strings.
 * Every error names the key, where it came from, what was expected and what was given.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeValue, issuePath, valueAt } from './format-issues.js';
import { type CollarConfig, CollarConfigSchema } from './schema.js';

export const ENV_OVERRIDE_PREFIX = 'COLLAR__';
export const CONFIG_FILE_ENV = 'COLLAR_CONFIG';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export interface LoadConfigOptions {
  /** Explicit config file; it must exist. Without it, COLLAR_CONFIG, then the XDG default (optional). */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

export interface LoadedConfig {
  config: CollarConfig;
  /** The file that was read, if any. */
  file?: string;
  /** Dotted keys set from the environment, with the variable that set each. */
  envOverrides: Record<string, string>;
}

export function defaultConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'collar', 'config.json');
}

function snakeToCamel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parseEnvValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function readConfigFile(file: string, required: boolean): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && code === 'ENOENT') return undefined;
    throw new ConfigError([`${file}: cannot read the config file (${code ?? String(error)})`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${file}: not valid JSON (${(error as Error).message}); fix the syntax or remove the file`]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([`${file}: the top level must be a JSON object, got ${describeValue(parsed)}`]);
  }
  return parsed as Record<string, unknown>;
}

/** The keys of a config section (sections are objects, some wrapped in cross-field checks). */
function sectionShape(section: unknown): Record<string, unknown> {
  let schema = (section as { unwrap(): unknown }).unwrap() as {
    shape?: Record<string, unknown>;
    def?: { in?: unknown };
  };
  // A refined object is a pipe; its input side holds the object schema.
  while (!schema.shape && schema.def?.in) schema = schema.def.in as typeof schema;
  return schema.shape ?? {};
}

function applyEnvOverrides(target: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, string> {
  const applied: Record<string, string> = {};
  const problems: string[] = [];
  const sections = CollarConfigSchema.shape;
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_OVERRIDE_PREFIX) || raw === undefined) continue;
    const parts = name.slice(ENV_OVERRIDE_PREFIX.length).split('__').map(snakeToCamel);
    const [section, key] = parts;
    if (parts.length !== 2 || !section || !key) {
      problems.push(`${name}: expected COLLAR__SECTION__KEY (e.g. COLLAR__AUDIO__FRAME_MS)`);
      continue;
    }
    const sectionSchema = sections[section as keyof typeof sections];
    if (!sectionSchema) {
      problems.push(`${name}: unknown section "${section}"; sections are ${Object.keys(sections).join(', ')}`);
      continue;
    }
    const keys = Object.keys(sectionShape(sectionSchema));
    if (!keys.includes(key)) {
      problems.push(`${name}: unknown key "${section}.${key}"; keys of ${section} are ${keys.join(', ')}`);
      continue;
    }
    const existing = target[section];
    const sectionObject =
      existing !== null && typeof existing === 'object' && !Array.isArray(existing)
        ? (existing as Record<string, unknown>)
        : {};
    sectionObject[key] = parseEnvValue(raw);
    target[section] = sectionObject;
    applied[`${section}.${key}`] = name;
  }
  if (problems.length) throw new ConfigError(problems);
  return applied;
}

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const explicitFile = options.file ?? env[CONFIG_FILE_ENV];
  const file = explicitFile ?? defaultConfigFile(env);
  const fromFile = readConfigFile(file, explicitFile !== undefined);
  const raw: Record<string, unknown> = structuredClone(fromFile ?? {});
  const envOverrides = applyEnvOverrides(raw, env);

  const parsed = CollarConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issuePath(issue.path);
      const source = envOverrides[key] ? `from ${envOverrides[key]}` : fromFile ? `in ${file}` : 'default';
      if (issue.code === 'unrecognized_keys') {
        const prefix = issue.path.length ? `${key}.` : '';
        return `${issue.keys.map((k) => prefix + k).join(', ')} (${source}): unknown key; remove it or check its spelling`;
      }
      return `${key} (${source}): ${issue.message}, got ${describeValue(valueAt(raw, issue.path))}`;
    });
    throw new ConfigError(problems);
  }
  const result: LoadedConfig = { config: parsed.data, envOverrides };
  if (fromFile) result.file = file;
  return result;
}
