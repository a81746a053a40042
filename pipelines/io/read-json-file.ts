import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../../features/errors.ts';
import { formatZodError } from '../../features/zod-error.ts';

/** Options of `readJsonFile`. */
export interface ReadJsonFileOptions<T> {
  /** Words put before the schema's complaint (`not a model manifest`). Default none. */
  what?: string;
  /** What a missing file reads as; without it a missing file is an error. */
  ifMissing?: () => T;
  /** Bad fields named before the rest are only counted; a broken array has thousands. Default all. */
  maxIssues?: number;
}

/**
 * Reads a JSON file and validates it with `schema`. Every failure is an InputError naming
 * the file: cannot read (with the system's code), not valid JSON, or the bad fields.
 */
export async function readJsonFile<S extends z.ZodType>(
  file: string,
  schema: S,
  options: ReadJsonFileOptions<z.infer<S>> = {},
): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.ifMissing) return options.ifMissing();
    throw new InputError(`${file}: cannot read file (${code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const shown = formatZodError(parsed.error, { maxIssues: options.maxIssues, value: json });
  throw new InputError(`${file}: ${options.what ? `${options.what}: ` : ''}${shown}`);
}
