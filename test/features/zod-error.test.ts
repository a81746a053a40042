import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { formatZodError } from '../../features/zod-error.ts';

const Config = z
  .object({
    label: z.union([
      z.object({ column: z.string(), positive: z.array(z.string()) }).strict(),
      z.object({ fromOutcomes: z.literal(true) }).strict(),
    ]),
    leads: z.object({ path: z.string() }).strict(),
    id: z.union([z.string(), z.number()]).optional(),
    shares: z.array(z.number().positive()).optional(),
  })
  .strict();

const fail = (value: unknown, options = {}) => {
  const r = Config.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return formatZodError(r.error, { value, ...options });
};

describe('formatZodError', () => {
  it('names the path and the expected type, one line', () => {
    const text = fail({ label: { column: 'y', positive: 'yes' }, leads: { path: 3 } });
    expect(text).toBe('label.positive: expected array, received string; leads.path: expected string, received number');
  });

  it('explains a failed union by the branch the value was closest to, never "Invalid input"', () => {
    expect(fail({ label: { column: 'y', positive: [1] }, leads: { path: 'a' } })).toBe(
      'label.positive.0: expected string, received number',
    );
    expect(fail({ label: { column: 'y', positive: ['1'] }, leads: { path: 'a' }, id: true })).toBe(
      'id: expected string or number, received boolean',
    );
  });

  it('unknown keys: at the top without a path, nested with it', () => {
    expect(fail({ label: { fromOutcomes: true }, leads: { path: 'a', glob: 1 }, colour: 'blue' })).toBe(
      'leads: unknown key "glob"; unknown key "colour"',
    );
  });

  it('a prefix before every path, and a count of the issues not spelled out', () => {
    const text = fail({ label: 1, leads: 2, shares: [-1, -2] }, { prefix: ['meta'], maxIssues: 2 });
    expect(text).toMatch(
      /^meta\.label: expected object, received number; meta\.leads: expected object, received number \(and 2 more\)$/,
    );
  });
});
