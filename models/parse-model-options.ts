/** Option parsing shared by the model settings schemas. */

import type { z } from 'zod';
import { InputError } from '../features/errors.ts';
import { formatZodError } from '../features/zod-error.ts';

/** Parses a model's settings with its schema, throwing InputError naming the bad field. */
export function parseModelOptions<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new InputError(`${what} options: ${formatZodError(parsed.error, { value: input })}`);
  }
  return parsed.data;
}
