/**
 * Points that carry what no rule can say: when a model also reads attributes a points
 * sheet cannot hold (recency decay, sums of seconds, the email domain), the bins it can
 * hold are refitted to the model's log-odds by ridge least squares, so correlated bins
 * take up the effect the left-out attributes had, instead of cancelling against it.
 */

import { minimizeLbfgs } from '../models/lbfgs.ts';
import type { ScorecardBin, ScorecardFeature } from './scorecard.ts';

/** The bin of `features` a value falls in, or -1 when none does. */
export function binIndex(feature: ScorecardFeature, value: unknown): number {
  return feature.bins.findIndex((b) => inBin(b.bin, value));
}

function inBin(bin: ScorecardBin, v: unknown): boolean {
  const missing = v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
  if (bin.kind === 'missing') return missing;
  if (missing) return false;
  if (bin.kind === 'range')
    return (
      typeof v === 'number' &&
      (bin.atLeast === undefined || v >= bin.atLeast) &&
      (bin.below === undefined || v < bin.below)
    );
  if (bin.kind === 'values') return bin.values.some((x) => x === v);
  return !bin.except.includes(String(v));
}

/**
 * Replaces each bin's effect with the ridge least-squares fit of `target` (the model's
 * log-odds per row) on every feature's bin indicators. `values[f][i]` is feature f's raw
 * value on row i. Returns the fitted features (the input is not changed).
 */
export function refitEffects(
  features: ScorecardFeature[],
  values: ArrayLike<unknown>[],
  target: ArrayLike<number>,
  l2 = 1,
): ScorecardFeature[] {
  const n = target.length;
  const offsets: number[] = [];
  let k = 0;
  for (const f of features) {
    offsets.push(k);
    k += f.bins.length;
  }
  // Each row's bin (as a parameter index) per feature; -1 when it falls in none.
  const slots = features.map((f, j) =>
    Int32Array.from({ length: n }, (_, i) => {
      const b = binIndex(f, values[j]![i]);
      return b < 0 ? -1 : offsets[j]! + b;
    }),
  );
  const residual = new Float64Array(n);
  const objective = (x: Float64Array) => {
    const b = x[k]!;
    for (let i = 0; i < n; i++) residual[i] = b - target[i]!;
    for (const s of slots) for (let i = 0; i < n; i++) if (s[i]! >= 0) residual[i]! += x[s[i]!]!;
    let value = 0;
    const gradient = new Float64Array(k + 1);
    for (let i = 0; i < n; i++) {
      value += residual[i]! * residual[i]!;
      gradient[k]! += 2 * residual[i]!;
    }
    for (const s of slots) for (let i = 0; i < n; i++) if (s[i]! >= 0) gradient[s[i]!]! += 2 * residual[i]!;
    for (let p = 0; p < k; p++) {
      value += l2 * x[p]! * x[p]!;
      gradient[p]! += 2 * l2 * x[p]!;
    }
    return { value, gradient };
  };
  const { x } = minimizeLbfgs(objective, new Float64Array(k + 1), {
    maxIterations: 500,
    gradientTolerance: 1e-6 * Math.max(1, n),
  });
  return features.map((f, j) => ({
    ...f,
    bins: f.bins.map((b, i) => ({ ...b, effect: b.rows > 0 ? x[offsets[j]! + i]! : b.effect })),
  }));
}
