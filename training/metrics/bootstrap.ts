/**
 * A paired bootstrap interval for the ROC AUC difference of two scorers on the same rows.
 * Each resample draws rows with replacement and scores both scorers on the same draw, so
 * the interval reflects how much the difference (not each AUC) varies.
 *
 * Fast: each scorer's rows are sorted into tie groups once; a resample only counts the
 * drawn rows per group and class, and its AUC is one pass over the groups, O(rows) per
 * resample with no sorting.
 */

import { seededIndices } from '../random.ts';
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
  return bootstrapAucs(labels, scoresA, scoresB, options).versus!;
}

/** What bootstrapAucs gives: the same resamples seen two ways. */
export interface AucBootstraps {
  /** AUC(scoresA) - AUC(a constant score): the bootstrap of scoresA's AUC less 0.5 (see aucInterval). */
  alone: AucDifference;
  /** AUC(scoresA) - AUC(scoresB), when scoresB is given: bootstrapAucDifference. */
  versus?: AucDifference;
}

/**
 * `bootstrapAucDifference` of scoresA against a constant score and, when given, against
 * scoresB, from one set of row draws: the same numbers as the two bootstraps run one after
 * the other with the same seed, for the price of one. A constant score's AUC on a resample is
 * 0.5 exactly when it holds both classes (NaN otherwise, as scoresA's), so it needs no counts.
 */
export function bootstrapAucs(
  labels: Labels,
  scoresA: Scores,
  scoresB: Scores | undefined,
  options: BootstrapOptions = {},
): AucBootstraps {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  checkLabelsAndScores(labels, scoresA);
  if (scoresB) checkLabelsAndScores(labels, scoresB);
  const constant = new Float64Array(labels.length);
  const rankingA = rankScores(scoresA);
  const rankingB = scoresB ? rankScores(scoresB) : undefined;
  const aucA = rocAuc(labels, scoresA, rankingA);
  const estimateAlone = aucA - rocAuc(labels, constant, rankScores(constant));
  const estimateVersus = scoresB ? aucA - rocAuc(labels, scoresB, rankingB) : NaN;

  const n = labels.length;
  // Where a drawn row counts under each scorer: its tie group's slot in counts that are
  // interleaved [negatives, positives] per group, so both stay in cache together.
  const slotA = new Int32Array(n);
  const slotB = new Int32Array(rankingB ? n : 0);
  for (let i = 0; i < n; i++) slotA[i] = 2 * rankingA.groupOf[i]! + labels[i]!;
  if (rankingB) for (let i = 0; i < n; i++) slotB[i] = 2 * rankingB.groupOf[i]! + labels[i]!;
  const countsA = new Int32Array(2 * rankingA.groupScore.length);
  const countsB = new Int32Array(rankingB ? 2 * rankingB.groupScore.length : 0);
  const draw = seededIndices(options.seed ?? 42);
  const drawn = new Int32Array(n);
  const alone: number[] = [];
  const versus: number[] = [];
  for (let r = 0; r < resamples; r++) {
    draw(drawn, n);
    countsA.fill(0);
    if (rankingB) {
      countsB.fill(0);
      for (let k = 0; k < n; k++) {
        const i = drawn[k]!;
        countsA[slotA[i]!]!++;
        countsB[slotB[i]!]!++;
      }
    } else {
      for (let k = 0; k < n; k++) countsA[slotA[drawn[k]!]!]!++;
    }
    const a = interleavedAuc(countsA);
    const d = a - 0.5;
    if (!Number.isNaN(d)) alone.push(d);
    if (rankingB) {
      const v = a - interleavedAuc(countsB);
      if (!Number.isNaN(v)) versus.push(v);
    }
  }
  const interval = (estimate: number, differences: number[]): AucDifference => {
    differences.sort((a, b) => a - b);
    const tail = (1 - level) / 2;
    return {
      estimate,
      low: quantileSorted(differences, tail),
      high: quantileSorted(differences, 1 - tail),
      level,
      resamples: differences.length,
    };
  };
  return {
    alone: interval(estimateAlone, alone),
    ...(scoresB ? { versus: interval(estimateVersus, versus) } : {}),
  };
}
