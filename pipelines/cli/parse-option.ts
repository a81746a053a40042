import type { z } from 'zod';
import { InputError } from '../../features/errors.ts';

/** Parses a CLI option value with a zod schema; a bad value names the option and what was expected. */
export function parseOption<S extends z.ZodType>(schema: S, value: unknown, option: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new InputError(`${option}: ${r.error.issues[0]?.message ?? 'invalid value'} (got ${JSON.stringify(value)})`);
  return r.data;
}
