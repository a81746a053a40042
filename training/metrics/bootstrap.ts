/**
 * A paired bootstrap interval for the ROC AUC difference of two scorers on the same rows.
 * Each resample draws rows with replacement and scores both scorers on the same draw, so
 * the interval reflects how much the difference (not each AUC) varies.
 *
 * Fast: each scorer's rows are sorted into tie groups once; a resample only counts the
 * drawn rows per group and class, and its AUC is one pass over the groups, O(rows) per
 * resample with no sorting.
 */

import { seededRandom } from '../random.ts';
import { checkLabelsAndScores, rankScores, rocAuc, type Labels, type Scores } from './ranking.ts';

/** Settings of the bootstrap. */
export interface BootstrapOptions {
  /** Number of resamples. Default 1000. */
  resamples?: number;
  /** Seed of the row draws. Default 42. */
  seed?: number;
  /** Coverage of the interval. Default 0.95. */
  level?: number;
}

/** A point estimate with its percentile bootstrap interval. */
export interface AucDifference {
  /** AUC of the first scorer minus that of the second, on all rows. */
  estimate: number;
  /** Lower and upper percentile bounds. */
  low: number;
  high: number;
  level: number;
  /** Resamples that held both classes (the others are skipped). */
  resamples: number;
}

/** The q-quantile of ascending `sorted` with linear interpolation (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** `aucFromGroups` over interleaved [negatives, positives] counts per group, best group first. */
function interleavedAuc(counts: Int32Array): number {
  let below = 0;
  let area = 0;
  let positives = 0;
  for (let k = counts.length - 2; k >= 0; k -= 2) {
    const q = counts[k]!;
    const p = counts[k + 1]!;
    area += p * (below + q / 2);
    below += q;
    positives += p;
  }
  return positives > 0 && below > 0 ? area / (positives * below) : NaN;
}

/**
 * Paired percentile bootstrap of AUC(scoresA) - AUC(scoresB) on the same rows, e.g. the
 * model's probabilities against the rules' points. Seeded, so repeatable.
 */
export function bootstrapAucDifference(
  labels: Labels,
  scoresA: Scores,
  scoresB: Scores,
  options: BootstrapOptions = {},
): AucDifference {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  checkLabelsAndScores(labels, scoresA);
  checkLabelsAndScores(labels, scoresB);
  const rankingA = rankScores(scoresA);
  const rankingB = rankScores(scoresB);
  const estimate = rocAuc(labels, scoresA, rankingA) - rocAuc(labels, scoresB, rankingB);

  const n = labels.length;
  // Where a drawn row counts under each scorer: its tie group's slot in counts that are
  // interleaved [negatives, positives] per group, so both stay in cache together.
  const slotA = new Int32Array(n);
  const slotB = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    slotA[i] = 2 * rankingA.groupOf[i]! + labels[i]!;
    slotB[i] = 2 * rankingB.groupOf[i]! + labels[i]!;
  }
  const countsA = new Int32Array(2 * rankingA.groupScore.length);
  const countsB = new Int32Array(2 * rankingB.groupScore.length);
  const random = seededRandom(options.seed ?? 42);
  const differences: number[] = [];
  for (let r = 0; r < resamples; r++) {
    countsA.fill(0);
    countsB.fill(0);
    for (let k = 0; k < n; k++) {
      const i = Math.floor(random() * n);
      countsA[slotA[i]!]!++;
      countsB[slotB[i]!]!++;
    }
    const d = interleavedAuc(countsA) - interleavedAuc(countsB);
    if (!Number.isNaN(d)) differences.push(d);
  }
  differences.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return {
    estimate,
    low: quantileSorted(differences, tail),
    high: quantileSorted(differences, 1 - tail),
    level,
    resamples: differences.length,
  };
}
