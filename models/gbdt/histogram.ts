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
  /** Only columns `from..to-1` (the rest of `out` is left as it is): a thread's share. */
  from = 0,
  to = cols,
): void {
  const stride = BINS_PER_FEATURE * SLOT;
  out.fill(0, from * stride, to * stride);
  const m = end - start;
  const whole = start === 0 && end === nRows && rows[0] === 0 && rows[m - 1] === m - 1;
  let c = from;
  // Four columns per pass: each row's index, gradient and hessian are read once for all four.
  for (; c + 3 < to; c += 4) {
    const o0 = c * stride;
    const base0 = c * nRows;
    for (let i = 0; i < m; i++) {
      const row = whole ? i : rows[start + i]!;
      const g = orderedGrad[i]!;
      const h = orderedHess[i]!;
      const k0 = o0 + bins[base0 + row]! * SLOT;
      const k1 = o0 + stride + bins[base0 + nRows + row]! * SLOT;
      const k2 = o0 + 2 * stride + bins[base0 + 2 * nRows + row]! * SLOT;
      const k3 = o0 + 3 * stride + bins[base0 + 3 * nRows + row]! * SLOT;
      addRow(out, k0, g, h);
      addRow(out, k1, g, h);
      addRow(out, k2, g, h);
      addRow(out, k3, g, h);
    }
  }
  for (; c < to; c++) {
    const o = c * stride;
    const base = c * nRows;
    for (let i = 0; i < m; i++) {
      addRow(out, o + bins[base + (whole ? i : rows[start + i]!)]! * SLOT, orderedGrad[i]!, orderedHess[i]!);
    }
  }
}

/** One row's gradient, hessian and count added to the slot at `k`. */
function addRow(out: Float64Array, k: number, g: number, h: number): void {
  out[k]! += g;
  out[k + 1]! += h;
  out[k + 2]! += 1;
}

/** `out = parent - child`: the sibling's histogram without touching its rows. */
export function subtractHistogram(out: Float64Array, parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = parent[i]! - child[i]!;
}
