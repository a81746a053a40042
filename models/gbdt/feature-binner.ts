/**
 * Maps raw feature values to at most 255 small-integer bins, fitted on training rows.
 * Bin 255 always holds missing values (NaN, and categories unseen in training), so every
 * feature gets the same missing bin and trees learn which way it goes.
 */

import type { Matrix } from '../../features/matrix.ts';
import { seededSample } from '../seeded-random.ts';
import { ShapeMismatchError } from '../../features/errors.ts';

/** The bin every missing value falls into. */
export const MISSING_BIN = 255;
/** Slots per feature in a histogram: 255 value bins plus the missing bin. */
export const BINS_PER_FEATURE = 256;

/** Fitted binning of one column: upper bin edges (numeric) or the codes that own a bin (categorical). */
export type FeatureBins = { kind: 'numeric'; edges: number[] } | { kind: 'categorical'; categories: number[] };

/** `FeatureBins` as JSON: the trailing +Infinity edge becomes null. */
export type FeatureBinsJson =
  { kind: 'numeric'; edges: (number | null)[] } | { kind: 'categorical'; categories: number[] };

/** How many rows the quantiles are estimated from at most (scikit-learn uses the same cap). */
const QUANTILE_SAMPLE = 200_000;

/** Bin edges for a numeric column: bin b holds values in (edges[b-1], edges[b]]; the last edge is +Infinity. */
export function numericEdges(values: Float64Array, maxBins: number): number[] {
  // Infinite values fall in the first or last bin without bending the quantiles.
  const sorted = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > -Infinity && v < Infinity) sorted[n++] = v;
  }
  sorted.subarray(0, n).sort();
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  }
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    // Few distinct values: one bin each, split halfway between neighbours.
    for (let i = 0; i + 1 < distinct.length; i++) edges.push((distinct[i]! + distinct[i + 1]!) / 2);
  } else {
    for (let k = 1; k < maxBins; k++) {
      const pos = (k * (n - 1)) / maxBins;
      const lo = sorted[Math.floor(pos)]!;
      const hi = sorted[Math.ceil(pos)]!;
      const edge = (lo + hi) / 2;
      if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
    }
  }
  edges.push(Infinity);
  return edges;
}

/** Codes of a categorical column that get their own bin: the most frequent, at most `maxBins`. */
export function categoricalCodes(values: Float64Array, maxBins: number): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, maxBins)
    .map(([code]) => code)
    .sort((a, b) => a - b);
}

/** Index of the first edge >= x (edges end with +Infinity, so always found). */
function lowerBound(edges: Float64Array, x: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A fitted binner; `fit` it on training rows, then `transform` any rows with the same columns. */
export class FeatureBinner {
  private edgeArrays: (Float64Array | null)[] = [];
  private codeMaps: (Map<number, number> | null)[] = [];

  private constructor(readonly features: FeatureBins[]) {
    for (const f of features) {
      this.edgeArrays.push(f.kind === 'numeric' ? Float64Array.from(f.edges) : null);
      this.codeMaps.push(f.kind === 'categorical' ? new Map(f.categories.map((c, i) => [c, i])) : null);
    }
  }

  /**
   * Fits bins on the rows of `x`; `categorical` lists the columns holding category codes.
   * Beyond 200,000 rows, bins come from a seeded sample of that many rows.
   */
  static fit(x: Matrix, options: { maxBins: number; categorical: readonly number[]; seed: number }): FeatureBinner {
    const isCategorical = new Set(options.categorical);
    const rows = x.rows > QUANTILE_SAMPLE ? seededSample(x.rows, QUANTILE_SAMPLE, options.seed) : null;
    const n = rows ? rows.length : x.rows;
    const features: FeatureBins[] = [];
    const buffer = new Float64Array(n);
    for (let c = 0; c < x.cols; c++) {
      let k = 0;
      for (let i = 0; i < n; i++) {
        const r = rows ? rows[i]! : i;
        const v = x.data[r * x.cols + c]!;
        if (v === v) buffer[k++] = v;
      }
      const values = buffer.subarray(0, k);
      if (isCategorical.has(c)) {
        features.push({ kind: 'categorical', categories: categoricalCodes(values, options.maxBins) });
      } else {
        features.push({ kind: 'numeric', edges: numericEdges(values, options.maxBins) });
      }
    }
    return new FeatureBinner(features);
  }

  /** Rebuilds a binner from its JSON form (`toJSON`). */
  static fromJSON(features: FeatureBinsJson[]): FeatureBinner {
    return new FeatureBinner(
      features.map((f) =>
        f.kind === 'numeric'
          ? { kind: 'numeric', edges: f.edges.map((e) => (e === null ? Infinity : e)) }
          : { kind: 'categorical', categories: [...f.categories] },
      ),
    );
  }

  /** Plain JSON (the trailing +Infinity edge is written as null). */
  toJSON(): FeatureBinsJson[] {
    return this.features.map((f) =>
      f.kind === 'numeric' ? { kind: 'numeric', edges: f.edges.map((e) => (Number.isFinite(e) ? e : null)) } : f,
    );
  }

  get cols(): number {
    return this.features.length;
  }

  /** Value bins in use for column `c` (the missing bin not counted). */
  binCount(c: number): number {
    const f = this.features[c]!;
    return f.kind === 'numeric' ? f.edges.length : f.categories.length;
  }

  isCategorical(c: number): boolean {
    return this.features[c]!.kind === 'categorical';
  }

  /** The bin of value `v` in column `c`. */
  binOf(c: number, v: number): number {
    if (v !== v) return MISSING_BIN;
    const edges = this.edgeArrays[c];
    if (edges) return lowerBound(edges, v);
    return this.codeMaps[c]!.get(v) ?? MISSING_BIN;
  }

  /** Upper edge of numeric bin `b` in column `c` (values <= it fall at or below the bin). */
  upperEdge(c: number, b: number): number {
    return this.edgeArrays[c]?.[b] ?? NaN;
  }

  /** Category code owning bin `b` of categorical column `c`. */
  categoryOf(c: number, b: number): number {
    const f = this.features[c]!;
    return f.kind === 'categorical' ? (f.categories[b] ?? NaN) : NaN;
  }

  /** Bins of every value, row-major like `x` (`out[r * cols + c]`). */
  transform(x: Matrix): Uint8Array {
    return this.binAll(x, false);
  }

  /** Bins of every value, column-major (`out[c * rows + r]`), as tree growing reads them. */
  transformColumns(x: Matrix): Uint8Array {
    return this.binAll(x, true);
  }

  private binAll(x: Matrix, columnMajor: boolean): Uint8Array {
    if (x.cols !== this.cols) throw new ShapeMismatchError(`expected ${this.cols} feature columns, got ${x.cols}`);
    const out = new Uint8Array(x.rows * x.cols);
    for (let c = 0; c < x.cols; c++) {
      const edges = this.edgeArrays[c];
      const codes = this.codeMaps[c];
      for (let r = 0, i = c; r < x.rows; r++, i += x.cols) {
        const v = x.data[i]!;
        const b = v !== v ? MISSING_BIN : edges ? lowerBound(edges, v) : (codes!.get(v) ?? MISSING_BIN);
        out[columnMajor ? c * x.rows + r : i] = b;
      }
    }
    return out;
  }
}
