/**
 * The minimum-data guard: with too few conversions (or too few non-conversions) a model's
 * metrics are noise and its probabilities cannot be calibrated, so training refuses.
 */

import { InputError } from '../features/errors.ts';

/** Thresholds of the guard (the `training.minPositives` and `training.minNegatives` options). */
export interface MinimumData {
  /** Fewest positives (conversions) allowed. Default 100. */
  minPositives?: number;
  /** Fewest negatives allowed. Default 100. */
  minNegatives?: number;
}

/** Positives and negatives among 0/1 labels. */
export function classCounts(labels: ArrayLike<number>): { positives: number; negatives: number } {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
  return { positives, negatives: labels.length - positives };
}

/**
 * Throws an InputError naming `source` and both counts when the labels hold fewer
 * positives or negatives than required; returns the counts otherwise.
 */
export function checkMinimumData(
  labels: ArrayLike<number>,
  source: string,
  limits: MinimumData = {},
): { positives: number; negatives: number } {
  const minPositives = limits.minPositives ?? 100;
  const minNegatives = limits.minNegatives ?? 100;
  const counts = classCounts(labels);
  const { positives, negatives } = counts;
  if (positives < minPositives || negatives < minNegatives) {
    const short: string[] = [];
    if (positives < minPositives) short.push(`at least ${minPositives} positives (training.minPositives)`);
    if (negatives < minNegatives) short.push(`at least ${minNegatives} negatives (training.minNegatives)`);
    throw new InputError(
      `${source}: not enough data to train: ${positives} positives (converted) and ${negatives} negatives in ${labels.length} rows; need ${short.join(' and ')}`,
      { positives, negatives, minPositives, minNegatives },
    );
  }
  return counts;
}
