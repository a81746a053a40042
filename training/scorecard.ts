/**
 * A scorecard from a model: for each attribute, bins (numeric intervals, category values,
 * missing) chosen on training rows, each worth the model's mean effect (logit
 * contribution) over the training rows that fall in it. Summed over attributes, the bin
 * effects approximate the model's logit; scaled and rounded they are a points sheet.
 */

/** A bin of one attribute. Intervals take `atLeast` inclusive and `below` exclusive. */
export type ScorecardBin =
  | { kind: 'missing' }
  | { kind: 'range'; atLeast?: number; below?: number }
  | { kind: 'values'; values: (string | boolean)[] }
  | { kind: 'other'; except: string[] };

/** An attribute's bins and the mean effect of each (log-odds). */
export interface ScorecardFeature {
  column: string;
  bins: { bin: ScorecardBin; effect: number; rows: number }[];
}

/** One attribute on the training rows: raw values and the model's contribution to each row's logit. */
export interface FeatureEffects {
  column: string;
  kind: 'numeric' | 'categorical' | 'boolean';
  values: ArrayLike<string | number | boolean | null | undefined>;
  contributions: ArrayLike<number>;
  /** Categorical: the values the model knows (others share one bin). */
  vocabulary?: readonly string[];
}

/** Most groups a numeric column is cut into before the optimal binning runs. */
const PRE_GROUPS = 64;

/** Bins and their mean effects. Numeric bins minimise the squared error of the effects within bins (at most `maxBins`). */
export function scorecardFeature(f: FeatureEffects, maxBins = 6): ScorecardFeature {
  const n = f.values.length;
  const missing: number[] = [];
  for (let i = 0; i < n; i++) if (isMissing(f.values[i])) missing.push(i);
  const bins: ScorecardFeature['bins'] = [];
  if (f.kind === 'numeric') bins.push(...numericBins(f, maxBins));
  else if (f.kind === 'boolean') {
    for (const v of [true, false]) bins.push(binOf({ kind: 'values', values: [v] }, f, (x) => x === v));
  } else {
    const vocabulary = f.vocabulary ?? [
      ...new Set(Array.from(f.values).filter((v): v is string => typeof v === 'string')),
    ];
    const known = new Set(vocabulary);
    for (const v of vocabulary) bins.push(binOf({ kind: 'values', values: [v] }, f, (x) => x === v));
    bins.push(binOf({ kind: 'other', except: [...vocabulary] }, f, (x) => !isMissing(x) && !known.has(String(x))));
  }
  bins.push(binOf({ kind: 'missing' }, f, isMissing));
  // A bin no training row falls in takes the attribute's average effect: the data say nothing about it.
  const average = mean(
    f.contributions,
    Array.from({ length: n }, (_, i) => i),
  );
  for (const b of bins) if (b.rows === 0) b.effect = average;
  return { column: f.column, bins };
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

function binOf(
  bin: ScorecardBin,
  f: FeatureEffects,
  test: (v: string | number | boolean | null | undefined) => boolean,
) {
  const rows: number[] = [];
  for (let i = 0; i < f.values.length; i++) if (test(f.values[i])) rows.push(i);
  return { bin, effect: mean(f.contributions, rows), rows: rows.length };
}

function mean(x: ArrayLike<number>, rows: number[]): number {
  let s = 0;
  for (const r of rows) s += x[r]!;
  return rows.length ? s / rows.length : 0;
}

function numericBins(f: FeatureEffects, maxBins: number): ScorecardFeature['bins'] {
  const rows: number[] = [];
  for (let i = 0; i < f.values.length; i++)
    if (typeof f.values[i] === 'number' && !Number.isNaN(f.values[i])) rows.push(i);
  if (rows.length === 0) return [];
  rows.sort((a, b) => (f.values[a] as number) - (f.values[b] as number));
  const value = (k: number) => f.values[rows[k]!] as number;
  // Groups of whole tie runs, about equal in size.
  const groups: { from: number; to: number; sum: number; sum2: number }[] = [];
  let start = 0;
  while (start < rows.length) {
    let end = Math.min(rows.length, start + Math.max(1, Math.ceil(rows.length / PRE_GROUPS)));
    while (end < rows.length && value(end) === value(end - 1)) end++;
    let sum = 0;
    let sum2 = 0;
    for (let k = start; k < end; k++) {
      const c = f.contributions[rows[k]!]!;
      sum += c;
      sum2 += c * c;
    }
    groups.push({ from: start, to: end, sum, sum2 });
    start = end;
  }
  const cuts = optimalCuts(groups, Math.min(maxBins, groups.length));
  const out: ScorecardFeature['bins'] = [];
  let previousEdge: number | undefined;
  for (let s = 0; s <= cuts.length; s++) {
    const firstGroup = s === 0 ? 0 : cuts[s - 1]!;
    const lastGroup = s === cuts.length ? groups.length : cuts[s]!;
    const from = groups[firstGroup]!.from;
    const to = groups[lastGroup - 1]!.to;
    const edge = s === cuts.length ? undefined : niceEdge(value(to - 1), value(to));
    let sum = 0;
    for (let g = firstGroup; g < lastGroup; g++) sum += groups[g]!.sum;
    const bin: ScorecardBin = {
      kind: 'range',
      ...(previousEdge === undefined ? {} : { atLeast: previousEdge }),
      ...(edge === undefined ? {} : { below: edge }),
    };
    out.push({ bin, effect: sum / (to - from), rows: to - from });
    previousEdge = edge;
  }
  if (out.length === 1) out[0]!.bin = { kind: 'range', atLeast: -Number.MAX_VALUE };
  return out;
}

/**
 * Where to cut `groups` into `k` contiguous segments so the squared error of the effects
 * around each segment's mean is least (dynamic programming over group boundaries).
 * Returns the first group of every segment but the first.
 */
function optimalCuts(groups: { from: number; to: number; sum: number; sum2: number }[], k: number): number[] {
  const m = groups.length;
  const count = new Float64Array(m + 1);
  const sum = new Float64Array(m + 1);
  const sum2 = new Float64Array(m + 1);
  groups.forEach((g, i) => {
    count[i + 1] = count[i]! + (g.to - g.from);
    sum[i + 1] = sum[i]! + g.sum;
    sum2[i + 1] = sum2[i]! + g.sum2;
  });
  const cost = (a: number, b: number) => {
    const c = count[b]! - count[a]!;
    const s = sum[b]! - sum[a]!;
    return sum2[b]! - sum2[a]! - (s * s) / c;
  };
  // best[s][j]: least error of the first j groups in s + 1 segments.
  const best = Array.from({ length: k }, () => new Float64Array(m + 1).fill(Infinity));
  const from = Array.from({ length: k }, () => new Int32Array(m + 1));
  for (let j = 1; j <= m; j++) best[0]![j] = cost(0, j);
  for (let s = 1; s < k; s++) {
    for (let j = s + 1; j <= m; j++) {
      for (let i = s; i < j; i++) {
        const e = best[s - 1]![i]! + cost(i, j);
        if (e < best[s]![j]!) {
          best[s]![j] = e;
          from[s]![j] = i;
        }
      }
    }
  }
  // Fewer segments when more would not help (ties in the data leave nothing to split).
  let segments = 1;
  // A bin more must explain at least half a percent of the effect's variation to earn its rule.
  const enough = 0.005 * best[0]![m]!;
  for (let s = 1; s < k; s++) if (best[s]![m]! < best[segments - 1]![m]! - enough) segments = s + 1;
  const cuts: number[] = [];
  let j = m;
  for (let s = segments - 1; s > 0; s--) {
    j = from[s]![j]!;
    cuts.unshift(j);
  }
  return cuts;
}

/** The simplest number (fewest significant digits) above `low` and at most `high`: a boundary a person can read. */
export function niceEdge(low: number, high: number): number {
  const top = Math.max(Math.abs(low), Math.abs(high), 1e-12);
  for (let p = 10 ** Math.ceil(Math.log10(top) + 1); p > 1e-9; p /= 10) {
    const c = Number((Math.floor(high / p) * p).toPrecision(12));
    if (c > low && c <= high) return c;
  }
  return high;
}
