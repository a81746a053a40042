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

/** `--chunk <rows>` of the streamed batch commands: leads read at a time. */
export const chunkOption = {
  flags: '--chunk <rows>',
  description: 'leads read at a time (memory grows with it, not with the input)',
  default: '50000',
} as const;

/** Parses `--chunk`. */
export async function parseChunkRows(value: string): Promise<number> {
  const { z } = await import('zod');
  return parseOption(z.coerce.number().int().positive().max(10_000_000), value, '--chunk');
}
