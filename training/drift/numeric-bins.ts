/**
 * Quantile bins for numeric drift: edges fitted on the reference values, every later
 * sample counted into the same bins, with one more bin for missing values so a change in
 * missingness counts as drift too.
 */

/**
 * Cut points at the 10th, 20th, ..., 90th percentiles (for `bins` = 10) of the non-missing
 * values, duplicates removed, so heavy ties give fewer, wider bins rather than empty ones.
 * The q-th cut point is the smallest value with at least a share q of the values at or below it.
 */
export function quantileEdges(values: ArrayLike<number | null>, bins = 10): number[] {
  const finite = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) finite[n++] = v;
  }
  const sorted = finite.subarray(0, n).sort();
  if (sorted.length === 0) return [];
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = sorted[Math.max(0, Math.ceil((k / bins) * sorted.length - 1e-9) - 1)]!;
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  // An edge equal to the maximum would leave the last bin empty on the reference itself.
  while (edges.length > 0 && edges[edges.length - 1]! >= sorted[sorted.length - 1]!) edges.pop();
  return edges;
}

/** Bin of `x` among `edges`: 0 for x <= edges[0], i for edges[i-1] < x <= edges[i], edges.length above the last. */
export function binOf(x: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Counts per bin: `edges.length + 1` value bins, then one bin of missing (null or not a
 * finite number) values.
 */
export function countNumericBins(values: ArrayLike<number | null>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 2).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const bin = v === null || v === undefined || !Number.isFinite(v) ? edges.length + 1 : binOf(v, edges);
    counts[bin]!++;
  }
  return counts;
}

/** Readable names of the bins counted by `countNumericBins`: `<= 3`, `(3, 7]`, `> 7`, `missing`. */
export function numericBinLabels(edges: readonly number[]): string[] {
  const fmt = (x: number): string => String(Number(x.toPrecision(4)));
  if (edges.length === 0) return ['all values', 'missing'];
  const labels = [`<= ${fmt(edges[0]!)}`];
  for (let i = 1; i < edges.length; i++) labels.push(`(${fmt(edges[i - 1]!)}, ${fmt(edges[i]!)}]`);
  labels.push(`> ${fmt(edges[edges.length - 1]!)}`, 'missing');
  return labels;
}
