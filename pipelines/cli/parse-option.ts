import type { z } from 'zod';
import { InputError } from '../../features/errors.ts';
import { formatZodError } from '../../features/zod-error.ts';

/** Parses a CLI option value with a zod schema; a bad value names the option and what was expected. */
export function parseOption<S extends z.ZodType>(schema: S, value: unknown, option: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new InputError(
      `${option}: ${formatZodError(r.error, { value, maxIssues: 1, where: (path) => (path.length ? `${path.map(String).join('.')}: ` : '') })} (got ${JSON.stringify(value)})`,
    );
  return r.data;
}
