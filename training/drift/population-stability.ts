/**
 * Population stability index between two distributions over the same bins:
 * PSI = sum over bins of (actual - expected) * ln(actual / expected), with proportions.
 * Conventional reading: below 0.1 stable, 0.1 to 0.2 a moderate shift, above 0.2 a shift
 * worth acting on.
 */

/**
 * Proportions below this are raised to it before the logarithm, so a bin empty on one side
 * gives a large but finite term instead of infinity. 1e-4 is the usual choice.
 */
export const proportionFloor = 1e-4;

/** PSI above this is flagged. */
export const psiThreshold = 0.2;

/** How a PSI value reads. */
export type DriftLevel = 'stable' | 'moderate' | 'shifted';

/** `stable` below 0.1, `moderate` from 0.1 up to `threshold`, `shifted` above `threshold` (default 0.2). */
export function driftLevel(psi: number, threshold = psiThreshold): DriftLevel {
  if (psi > threshold) return 'shifted';
  return psi >= 0.1 ? 'moderate' : 'stable';
}

/** Counts divided by their total; all zeros when the total is zero. */
export function toProportions(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  return Array.from(counts, (c) => (total > 0 ? c / total : 0));
}

/**
 * PSI of `actual` against `expected`, both proportions over the same bins (each summing to
 * 1, or all zero for an empty sample). Throws when the bin counts differ.
 */
export function populationStability(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  floor = proportionFloor,
): number {
  if (expected.length !== actual.length) {
    throw new RangeError(`populationStability: ${expected.length} expected bins but ${actual.length} actual bins`);
  }
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]!, floor);
    const a = Math.max(actual[i]!, floor);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}
