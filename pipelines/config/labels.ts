import { z } from 'zod';

/**
 * Words for raw column names and values, as marketing reads them: `labels:` in the
 * dataset config. A column maps to its label, or to `{ label, values }` where `values`
 * maps raw values to words. Used in the report, reasons and points sheets; JSON output
 * keeps the raw names.
 */
export const Labels = z.record(
  z.string().min(1),
  z.union([
    z.string().min(1),
    z
      .object({
        label: z.string().min(1).describe('Words for the column. Default: its name.').optional(),
        values: z.record(z.string(), z.string().min(1)).describe('Words for raw values of the column.').optional(),
      })
      .strict(),
  ]),
);
export type Labels = z.infer<typeof Labels>;

/** The words for a column: its label, or its raw name. */
export function columnLabel(labels: Labels | undefined, column: string): string {
  const entry = labels?.[column];
  return typeof entry === 'string' ? entry : (entry?.label ?? column);
}

/** The words for one value of a column: its label, or the value itself. */
export function valueLabel(labels: Labels | undefined, column: string, value: string | number | boolean): string {
  const entry = labels?.[column];
  const text = String(value);
  return typeof entry === 'object' ? (entry.values?.[text] ?? text) : text;
}

/** Value labels by column, for code that words category values (the feature spec's encoders). */
export function valueLabelMaps(labels: Labels | undefined): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(labels ?? {}).flatMap(([c, e]) => (typeof e === 'object' && e.values ? [[c, e.values]] : [])),
  );
}

/** Column labels alone, for code that only renames columns (the feature spec's encoder labels). */
export function columnLabels(labels: Labels | undefined): Record<string, string> {
  return Object.fromEntries(Object.keys(labels ?? {}).map((c) => [c, columnLabel(labels, c)]));
}
