/**
 * Gradient histograms: per column and bin, the summed gradient, summed hessian and row count
 * of a node's rows, interleaved as `[(col * 256 + bin) * 3 + {0: g, 1: h, 2: n}]`.
 */

import { BINS_PER_FEATURE } from './feature-binner.ts';

/** Numbers per histogram slot: gradient, hessian, count. */
export const SLOT = 3;

/** A fresh zero histogram for `cols` columns. */
export function emptyHistogram(cols: number): Float64Array {
  return new Float64Array(cols * BINS_PER_FEATURE * SLOT);
}

/**
 * Fills `out` (zeroed here) with the sums over `rows[start..end)`. `bins` is column-major
 * (`bins[col * nRows + row]`), so each column's pass stays within one small slice of `out`;
 * `orderedGrad`/`orderedHess` hold the node's gradients in the order of its rows.
 */
export function buildHistogram(
  out: Float64Array,
  bins: Uint8Array,
  nRows: number,
  cols: number,
  rows: Uint32Array,
  start: number,
  end: number,
  orderedGrad: Float64Array,
  orderedHess: Float64Array,
): void {
  out.fill(0);
  const m = end - start;
  const whole = start === 0 && end === nRows && rows[0] === 0 && rows[m - 1] === m - 1;
  for (let c = 0; c < cols; c++) {
    const o = c * BINS_PER_FEATURE * SLOT;
    const base = c * nRows;
    if (whole) {
      // The root holds every row in order: read the column straight through.
      for (let i = 0; i < m; i++) {
        const k = o + bins[base + i]! * SLOT;
        out[k]! += orderedGrad[i]!;
        out[k + 1]! += orderedHess[i]!;
        out[k + 2]! += 1;
      }
    } else {
      for (let i = 0; i < m; i++) {
        const k = o + bins[base + rows[start + i]!]! * SLOT;
        out[k]! += orderedGrad[i]!;
        out[k + 1]! += orderedHess[i]!;
        out[k + 2]! += 1;
      }
    }
  }
}

/** `out = parent - child`: the sibling's histogram without touching its rows. */
export function subtractHistogram(out: Float64Array, parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = parent[i]! - child[i]!;
}
