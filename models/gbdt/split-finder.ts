/**
 * Best split of one node from its gradient histogram: numeric columns try every bin boundary
 * with missing values sent either way; categorical columns order categories by gradient ratio
 * and try every prefix of that order (the LightGBM way), so one split can send any subset left.
 */

import { BINS_PER_FEATURE, MISSING_BIN } from './feature-binner.ts';
import { SLOT } from './histogram.ts';
import { BITSET_WORDS } from './tree.ts';

/** Summed gradient, hessian and row count of a set of rows. */
export interface NodeStats {
  g: number;
  h: number;
  n: number;
}

export interface SplitParams {
  l2: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  minGainToSplit: number;
  categoricalSmoothing: number;
  minCategorySupport: number;
}

/** What the column layout looks like to the split finder. */
export interface ColumnInfo {
  /** Value bins in use per column. */
  binCount: Int32Array;
  /** 1 for categorical columns. */
  categorical: Uint8Array;
}

export interface Split {
  feature: number;
  gain: number;
  left: NodeStats;
  right: NodeStats;
  /** Numeric: bins <= threshold go left, the missing bin per `missingLeft`. */
  threshold: number;
  missingLeft: boolean;
  /** Categorical: bins going left; null for numeric splits. */
  bits: Uint32Array | null;
}

/** Half the objective reduction of a leaf holding these sums (constants dropped). */
function score(g: number, h: number, l2: number): number {
  return (g * g) / (h + l2);
}

function allowed(l: NodeStats, r: NodeStats, p: SplitParams): boolean {
  return l.n >= p.minSamplesLeaf && r.n >= p.minSamplesLeaf && l.h >= p.minHessianLeaf && r.h >= p.minHessianLeaf;
}

/** The best split over all columns, or null when none gains more than `minGainToSplit`. */
export function findBestSplit(hist: Float64Array, total: NodeStats, cols: ColumnInfo, p: SplitParams): Split | null {
  const parentScore = score(total.g, total.h, p.l2);
  let best: Split | null = null;
  const order: number[] = [];
  for (let f = 0; f < cols.binCount.length; f++) {
    const base = f * BINS_PER_FEATURE * SLOT;
    const nb = cols.binCount[f]!;
    const mk = base + MISSING_BIN * SLOT;
    const mg = hist[mk]!;
    const mh = hist[mk + 1]!;
    const mn = hist[mk + 2]!;
    if (cols.categorical[f] === 1) {
      best = bestCategorical(hist, base, nb, f, total, parentScore, p, best, order);
      continue;
    }
    let gl = 0;
    let hl = 0;
    let nl = 0;
    // t = nb - 1 puts every value left, which only splits when there are missing values.
    for (let t = 0; t < nb; t++) {
      const k = base + t * SLOT;
      gl += hist[k]!;
      hl += hist[k + 1]!;
      nl += hist[k + 2]!;
      if (hist[k + 2] === 0 && t > 0) continue;
      for (let side = 0; side < 2; side++) {
        const missingLeft = side === 1;
        if (missingLeft && (mn === 0 || t === nb - 1)) continue;
        if (!missingLeft && t === nb - 1 && mn === 0) continue;
        const lg = missingLeft ? gl + mg : gl;
        const lh = missingLeft ? hl + mh : hl;
        const ln = missingLeft ? nl + mn : nl;
        const rn = total.n - ln;
        const rh = total.h - lh;
        if (ln < p.minSamplesLeaf || rn < p.minSamplesLeaf || lh < p.minHessianLeaf || rh < p.minHessianLeaf) continue;
        const rg = total.g - lg;
        const gain = score(lg, lh, p.l2) + score(rg, rh, p.l2) - parentScore;
        if (gain > p.minGainToSplit && (best === null || gain > best.gain)) {
          // With no missing rows here, missing values at prediction follow the bigger side.
          const ml = mn === 0 ? ln >= rn : missingLeft;
          const left = { g: lg, h: lh, n: ln };
          const right = { g: rg, h: rh, n: rn };
          best = { feature: f, gain, left, right, threshold: t, missingLeft: ml, bits: null };
        }
      }
    }
  }
  return best;
}

function bestCategorical(
  hist: Float64Array,
  base: number,
  nb: number,
  f: number,
  total: NodeStats,
  parentScore: number,
  p: SplitParams,
  best: Split | null,
  order: number[],
): Split | null {
  order.length = 0;
  for (let b = 0; b < nb; b++) if (hist[base + b * SLOT + 2]! >= p.minCategorySupport) order.push(b);
  if (hist[base + MISSING_BIN * SLOT + 2]! >= p.minCategorySupport) order.push(MISSING_BIN);
  if (order.length < 2) return best;
  const ratio = (b: number): number => hist[base + b * SLOT]! / (hist[base + b * SLOT + 1]! + p.categoricalSmoothing);
  order.sort((a, b) => ratio(a) - ratio(b) || a - b);
  // Rare categories always go right, so both scan directions give different splits.
  for (let dir = 0; dir < 2; dir++) {
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let i = 0; i + 1 < order.length; i++) {
      const b = order[dir === 0 ? i : order.length - 1 - i]!;
      const k = base + b * SLOT;
      gl += hist[k]!;
      hl += hist[k + 1]!;
      nl += hist[k + 2]!;
      const left = { g: gl, h: hl, n: nl };
      const right = { g: total.g - gl, h: total.h - hl, n: total.n - nl };
      if (!allowed(left, right, p)) continue;
      const gain = score(gl, hl, p.l2) + score(right.g, right.h, p.l2) - parentScore;
      if (gain > p.minGainToSplit && (best === null || gain > best.gain)) {
        const bits = new Uint32Array(BITSET_WORDS);
        for (let j = 0; j <= i; j++) {
          const c = order[dir === 0 ? j : order.length - 1 - j]!;
          bits[c >>> 5]! |= 1 << (c & 31);
        }
        best = { feature: f, gain, left, right, threshold: 0, missingLeft: false, bits };
      }
    }
  }
  return best;
}
