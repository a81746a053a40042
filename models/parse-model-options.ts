/** Option parsing shared by the model settings schemas. */

import type { z } from 'zod';
import { InputError } from '../features/errors.ts';

/** Parses a model's settings with its schema, throwing InputError naming the bad field. */
export function parseModelOptions<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new InputError(`${what} options: ${detail}`);
  }
  return parsed.data;
}
