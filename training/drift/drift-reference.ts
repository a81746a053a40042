import { z } from 'zod';
import { columnCells, type Frame, type FrameColumn } from '../../features/frame.ts';
import { countNumericBins, quantileEdges } from './numeric-bins.ts';
import { toProportions } from './population-stability.ts';

/**
 * The training data's distribution, kept in the model artifact as `drift-reference.json`
 * so new leads can be compared with what the model learned from, without the training
 * file. Plain JSON; made by `driftReference` at train time.
 */

/** A numeric column (or the score): decile edges and the share of rows per bin, the last bin being missing values. */
export const NumericReference = z
  .object({
    kind: z.literal('numeric'),
    name: z.string(),
    /** Ascending cut points fitted on the reference rows. */
    edges: z.array(z.number()),
    /** `edges.length + 1` value bins, then missing. */
    proportions: z.array(z.number().min(0).max(1)),
  })
  .strict()
  .refine((r) => r.proportions.length === r.edges.length + 2, {
    message: 'proportions needs edges.length + 2 entries',
    path: ['proportions'],
  });
export type NumericReference = z.infer<typeof NumericReference>;

/** A categorical or boolean column: the share of each value, then of other values, then of missing ones. */
export const CategoricalReference = z
  .object({
    kind: z.literal('categorical'),
    name: z.string(),
    /** Values seen on the reference rows, most frequent first (at most `maxCategories`). */
    categories: z.array(z.string()),
    /** One per category, then the rest ("other"), then missing. */
    proportions: z.array(z.number().min(0).max(1)),
    /** True when rarer values were folded into "other", so an unlisted value is not necessarily new. */
    truncated: z.boolean(),
  })
  .strict()
  .refine((r) => r.proportions.length === r.categories.length + 2, {
    message: 'proportions needs categories.length + 2 entries',
    path: ['proportions'],
  });
export type CategoricalReference = z.infer<typeof CategoricalReference>;

export const FeatureReference = z.union([NumericReference, CategoricalReference]);
export type FeatureReference = z.infer<typeof FeatureReference>;

export const DriftReference = z
  .object({
    version: z.literal(1),
    /** Reference rows the proportions were computed on. */
    rows: z.number().int().min(0),
    features: z.array(FeatureReference),
    /** Columns left out, with why (timestamps move with time by nature; free text has no bins). */
    skipped: z.array(z.object({ name: z.string(), reason: z.string() }).strict()),
    /** The model's score on the reference rows, when given. */
    score: NumericReference.nullable(),
  })
  .strict();
export type DriftReference = z.infer<typeof DriftReference>;

/** Most categories kept per column; rarer ones are counted together as "other". */
export const maxCategories = 100;

/** Bins for numeric columns and the score: deciles. */
export const numericBinCount = 10;

/**
 * The drift reference of a training frame: decile bins for numeric columns, value shares
 * for categorical and boolean ones, and decile bins of `scores` (one per row) when given.
 * Timestamp and text columns are listed as skipped.
 */
export function driftReference(frame: Frame, scores?: ArrayLike<number>): DriftReference {
  if (scores && scores.length !== frame.rowCount) {
    throw new RangeError(`driftReference: ${scores.length} scores for ${frame.rowCount} rows`);
  }
  const features: FeatureReference[] = [];
  const skipped: DriftReference['skipped'] = [];
  for (const column of frame.columns) {
    if (column.type === 'timestamp')
      skipped.push({ name: column.name, reason: 'timestamp: later leads always differ' });
    else if (column.type === 'text') skipped.push({ name: column.name, reason: 'free text: no bins' });
    else features.push(columnReference(column));
  }
  return {
    version: 1,
    rows: frame.rowCount,
    features,
    skipped,
    score: scores ? numericReference('score', scores) : null,
  };
}

function columnReference(column: Exclude<FrameColumn, { type: 'timestamp' | 'text' }>): FeatureReference {
  if (column.type === 'numeric') return numericReference(column.name, column.values);
  return categoricalReference(column.name, categoricalValues(column));
}

/** Numeric reference of `values`: deciles fitted on them, and their shares. */
export function numericReference(name: string, values: ArrayLike<number | null>): NumericReference {
  const edges = quantileEdges(values, numericBinCount);
  return { kind: 'numeric', name, edges, proportions: toProportions(countNumericBins(values, edges)) };
}

/** Categorical reference of `values`: shares of the `maxCategories` most frequent values, other, missing. */
export function categoricalReference(name: string, values: readonly (string | null)[]): CategoricalReference {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  // Ties broken by value so the reference does not depend on row order.
  const ranked = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const kept = ranked.slice(0, maxCategories);
  const other = ranked.slice(maxCategories).reduce((s, [, c]) => s + c, 0);
  return {
    kind: 'categorical',
    name,
    categories: kept.map(([v]) => v),
    proportions: toProportions([...kept.map(([, c]) => c), other, missing]),
    truncated: ranked.length > maxCategories,
  };
}

/** A categorical or boolean column's values as text (booleans as `true`/`false`). */
export function categoricalValues(column: FrameColumn): (string | null)[] {
  return columnCells(column).map((v) => (v === null ? null : String(v)));
}
