import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { InputError } from '../../features/errors.ts';
import { formatZodError } from '../../features/zod-error.ts';
import { DatasetConfig } from './dataset-config.ts';
import { resolvePostgresSources } from './postgres-sources.ts';

/** A validated dataset config with its file paths made absolute. */
export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string;
  config: DatasetConfig;
}

/** Reads a YAML or JSON file (by extension; YAML is a superset, so anything else parses as YAML). */
export async function readStructuredFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new InputError(
      `${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

/** Parses `value` with `schema`, throwing an InputError naming the file and the bad fields. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, file: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InputError(`${file}: invalid config: ${formatZodError(result.error, { value })}`);
  return result.data;
}

/** Loads and validates a dataset config; relative paths inside it resolve against its folder. */
export async function loadDatasetConfig(file: string): Promise<LoadedConfig> {
  const abs = path.resolve(file);
  const config = parseWith(DatasetConfig, await readStructuredFile(abs), file);
  const dir = path.dirname(abs);
  const resolve = (p: string) => path.resolve(dir, p);
  for (const section of [config.leads, config.events, config.outcomes])
    if (section && !section.postgres) section.path = resolve(section.path);
  if (config.rules) config.rules = resolve(config.rules);
  resolvePostgresSources(config);
  return { file: abs, config };
}
