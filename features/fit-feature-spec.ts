import { categoryKey } from './category-key.ts';
import { dayAndHour, numericTransform } from './encode-features.ts';
import { InputError, ShapeMismatchError } from './errors.ts';
import { aggregateColumns, DAY_MS, type EventAggregateOptions } from './event-aggregates.ts';
import type { ColumnSpec } from './feature-config.ts';
import type { ColumnEncoder, FeatureSpec } from './feature-spec.ts';
import { freeMailDomains } from './free-mail-domains.ts';
import { sortedNumbers, takeNumbers, type Frame, type FrameColumn } from './frame.ts';

/** Options of `fitFeatureSpec`. */
export interface FitSpecOptions {
  /** Frame rows to fit on (the training rows). Default: every row. */
  rows?: ArrayLike<number>;
  /** The time features are taken at (epoch ms), one for all or one per frame row. Default: the latest timestamp in the training rows. */
  asOf?: number | ArrayLike<number>;
  /** Event aggregation; its columns (see aggregateColumns) must already be joined onto the frame. Default: none. */
  events?: EventAggregateOptions;
  /** Text values the loader read as missing (dataset config missingValues), kept for online attributes. Default []. */
  missingValues?: string[];
  /** Categorical minimum frequency when a column's spec sets none. Default 10. */
  minFrequency?: number;
  /** At most this many vocabulary entries per categorical column (the most frequent). Default 100. */
  maxCategories?: number;
  /** Frame columns not to encode. Default none. */
  exclude?: string[];
  /** Words for columns (the dataset config's labels), used in reasons. Default: the column names. */
  labels?: Readonly<Record<string, string>>;
  /** Words for values of categorical columns, by column, used in reasons. Default none. */
  valueLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Cut points kept for the quantile transform. */
const quantileCount = 101;

/**
 * Fits the feature encoders on the training rows of `frame`: one encoder per column, in
 * frame order, using the column's spec from `columns` when given (options such as
 * transform, minFrequency, email) and its frame type otherwise. Text columns are not
 * encoded unless marked `email`. Returns plain JSON (see FeatureSpec).
 */
export function fitFeatureSpec(
  frame: Frame,
  columns: Record<string, ColumnSpec>,
  options: FitSpecOptions = {},
): FeatureSpec {
  const rows = options.rows ? Array.from(options.rows) : Array.from({ length: frame.rowCount }, (_, i) => i);
  const exclude = new Set(options.exclude ?? []);
  const aggregates = new Map((options.events ? aggregateColumns(options.events) : []).map((a) => [a.name, a]));
  const names = new Set(frame.columns.map((c) => c.name));
  for (const name of aggregates.keys()) {
    if (!names.has(name))
      throw new InputError(
        `${frame.source}: event aggregate column "${name}" is missing: join the event aggregates onto the frame before fitting`,
      );
  }
  const asOf = asOfAt(frame, rows, options.asOf);
  const encoders: ColumnEncoder[] = [];
  for (const column of frame.columns) {
    if (exclude.has(column.name)) continue;
    const aggregate = aggregates.get(column.name);
    const spec = columns[column.name] ?? aggregate?.spec ?? { type: column.type };
    const encoder = fitColumn(
      column,
      spec,
      options.labels?.[column.name] ?? aggregate?.label ?? column.name,
      rows,
      asOf.at,
      options,
    );
    if (encoder) encoders.push(encoder);
  }
  return {
    version: 1,
    encoders,
    events: options.events,
    referenceAsOf: asOf.reference,
    missingValues: options.missingValues ?? [],
  };
}

function asOfAt(
  frame: Frame,
  rows: number[],
  asOf: FitSpecOptions['asOf'],
): { at: (r: number) => number; reference: number | null } {
  if (typeof asOf === 'number') return { at: () => asOf, reference: asOf };
  if (asOf !== undefined) {
    if (asOf.length !== frame.rowCount)
      throw new ShapeMismatchError(`fitFeatureSpec: asOf has ${asOf.length} values for ${frame.rowCount} rows`);
    let max = -Infinity;
    for (const r of rows) max = Math.max(max, asOf[r]!);
    return { at: (r) => asOf[r]!, reference: Number.isFinite(max) ? max : null };
  }
  let max = -Infinity;
  for (const c of frame.columns) {
    if (c.type !== 'timestamp') continue;
    for (const r of rows) {
      const v = c.values[r];
      if (typeof v === 'number' && v > max) max = v;
    }
  }
  const reference = Number.isFinite(max) ? max : null;
  return { at: () => reference ?? 0, reference };
}

function fitColumn(
  column: FrameColumn,
  spec: ColumnSpec,
  label: string,
  rows: number[],
  asOf: (r: number) => number,
  options: FitSpecOptions,
): ColumnEncoder | undefined {
  const source = column.name;
  if (spec.email) return { kind: 'email', source, label, freeMailDomains: [...freeMailDomains] };
  switch (column.type) {
    case 'numeric':
      return fitNumeric(source, label, spec, takeNumbers(column.values, rows));
    case 'boolean': {
      const missingIndicator = rows.some((r) => column.values[r] === null || column.values[r] === undefined);
      return { kind: 'boolean', source, label, missingIndicator };
    }
    case 'categorical': {
      const encoder = fitCategorical(
        source,
        label,
        rows.map((r) => column.values[r] ?? null),
        spec.minFrequency ?? options.minFrequency ?? 10,
        options.maxCategories ?? 100,
        spec.caseSensitive ?? false,
      );
      const words = options.valueLabels?.[source];
      return words && Object.keys(words).length > 0 && encoder.kind === 'categorical'
        ? { ...encoder, valueLabels: { ...words } }
        : encoder;
    }
    case 'timestamp':
      return fitTimestamp(
        source,
        label,
        takeNumbers(column.values, rows),
        Float64Array.from(rows, (r) => asOf(r)),
      );
    case 'text':
      return undefined;
  }
}

/** Median of ascending values (0 when empty). */
function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Mean and population standard deviation; a zero or undefined spread becomes 1 so constants encode as 0. */
function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 1 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const std = Math.sqrt(ss / n);
  return { mean, std: std > 1e-12 && Number.isFinite(std) ? std : 1 };
}

/** Linear-interpolated quantiles of ascending values at k / (count - 1). */
function quantiles(sorted: ArrayLike<number>, count: number): number[] {
  if (sorted.length === 0) return [];
  return Array.from({ length: count }, (_, k) => {
    const pos = (k / (count - 1)) * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  });
}

function fitNumeric(source: string, label: string, spec: ColumnSpec, values: Float64Array): ColumnEncoder {
  const present = sortedNumbers(values);
  const med = median(present);
  const transform = spec.transform ?? 'none';
  const q = transform === 'quantile' ? quantiles(present, quantileCount) : undefined;
  const t = { transform, quantiles: q };
  const transformed = values.map((v) => numericTransform(t, Number.isNaN(v) ? med : v));
  const { mean, std } = meanStd(transformed);
  return {
    kind: 'numeric',
    source,
    label,
    transform,
    ...(q ? { quantiles: q } : {}),
    median: med,
    mean,
    std,
    missingIndicator: present.length < values.length,
  };
}

function fitCategorical(
  source: string,
  label: string,
  values: (string | null)[],
  minFrequency: number,
  maxCategories: number,
  caseSensitive: boolean,
): ColumnEncoder {
  // Spellings of one category (`Cellular`, `cellular `) count together; the most frequent names it.
  const spellings = new Map<string, number>();
  for (const v of values) if (v !== null) spellings.set(v, (spellings.get(v) ?? 0) + 1);
  const byKey = new Map<string, { n: number; name: string; best: number }>();
  for (const [v, n] of spellings) {
    const key = categoryKey(v, caseSensitive);
    if (key === '') continue;
    const c = byKey.get(key);
    if (!c) byKey.set(key, { n, name: v.trim(), best: n });
    else {
      c.n += n;
      if (n > c.best || (n === c.best && v.trim() < c.name)) {
        c.best = n;
        c.name = v.trim();
      }
    }
  }
  const vocabulary = [...byKey.values()]
    .filter((c) => c.n >= minFrequency)
    .sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, maxCategories)
    .map((c) => c.name);
  return { kind: 'categorical', source, label, vocabulary, ...(caseSensitive ? { caseSensitive } : {}) };
}

function fitTimestamp(source: string, label: string, values: Float64Array, asOf: Float64Array): ColumnEncoder {
  const ages: number[] = [];
  const hours: number[] = [];
  values.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    ages.push((asOf[i]! - v) / DAY_MS);
    hours.push(dayAndHour(v).hour);
  });
  const medianAgeDays = median(Float64Array.from(ages).sort());
  const imputed = values.map((v, i) => (Number.isNaN(v) ? medianAgeDays : (asOf[i]! - v) / DAY_MS));
  const age = meanStd(imputed);
  const hour = meanStd(hours);
  return {
    kind: 'timestamp',
    source,
    label,
    medianAgeDays,
    ageMean: age.mean,
    ageStd: age.std,
    hourMean: hour.mean,
    hourStd: hour.std,
    missingIndicator: ages.length < values.length,
  };
}
