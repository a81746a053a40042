/** Per-row loss weights from a class-weight setting, shared by the tfjs models. */

import type { ClassWeight } from './gbdt/gbdt-options.ts';

export { ClassWeight } from './gbdt/gbdt-options.ts';

/**
 * One weight per row: 1 for every row when `setting` is null; for `'balanced'`,
 * n / (2 * count of the row's class), as scikit-learn does; else the given pair.
 */
export function classRowWeights(y: Uint8Array, setting: ClassWeight | null): Float32Array {
  const w = new Float32Array(y.length).fill(1);
  if (setting === null) return w;
  let pos = 0;
  for (const v of y) pos += v;
  const neg = y.length - pos;
  const [wNeg, wPos] =
    setting === 'balanced'
      ? [y.length / (2 * Math.max(neg, 1)), y.length / (2 * Math.max(pos, 1))]
      : [setting.negative, setting.positive];
  for (let i = 0; i < y.length; i++) w[i] = y[i] ? wPos : wNeg;
  return w;
}

/** Log-odds of the weighted positive rate of `y`, clipped away from 0 and 1: the best constant logit. */
export function priorLogOdds(y: Uint8Array, weights: Float32Array): number {
  let positive = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    positive += y[i] ? weights[i]! : 0;
    total += weights[i]!;
  }
  const rate = total > 0 ? Math.min(Math.max(positive / total, 1e-6), 1 - 1e-6) : 0.5;
  return Math.log(rate / (1 - rate));
}
