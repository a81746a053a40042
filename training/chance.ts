/**
 * Whether a score ranks leads any better than chance: the bootstrap interval of its ROC
 * AUC. The paired bootstrap of AUC(score) - AUC(constant) is that interval less 0.5 (a
 * constant scores 0.5 on every resample), so the same resampling as model vs rules serves.
 */

import { bootstrapAucs, type AucDifference, type BootstrapOptions } from './metrics/bootstrap.ts';
import type { Labels, Scores } from './metrics/ranking.ts';

/** ROC AUC with its percentile bootstrap interval. */
export interface AucInterval {
  estimate: number;
  low: number;
  high: number;
  level: number;
  resamples: number;
}

/** The bootstrap interval of the ROC AUC of `scores`. */
export function aucInterval(labels: Labels, scores: Scores, options: BootstrapOptions = {}): AucInterval {
  return aucIntervalOf(bootstrapAucs(labels, scores, undefined, options).alone);
}

/** The AUC interval from the bootstrap of AUC(scores) - AUC(a constant score) (bootstrapAucs' `alone`). */
export function aucIntervalOf(d: AucDifference): AucInterval {
  return { estimate: d.estimate + 0.5, low: d.low + 0.5, high: d.high + 0.5, level: d.level, resamples: d.resamples };
}

/** True when the interval includes 0.5: the ranking may be a coin flip. */
export function noBetterThanChance(i: Pick<AucInterval, 'low' | 'high'>): boolean {
  return i.low <= 0.5 && i.high >= 0.5;
}

/** The sentence that goes first wherever the model's figures are shown, or null when the model beats chance. */
export function chanceStatement(i: AucInterval | undefined | null): string | null {
  if (!i || !noBetterThanChance(i)) return null;
  return (
    `No better than chance on these leads: the model's ROC AUC is ${i.estimate.toFixed(3)} and its ${Math.round(i.level * 100)} % interval, ` +
    `${i.low.toFixed(3)} to ${i.high.toFixed(3)}, includes 0.5 (a coin flip). Do not act on its scores or tiers.`
  );
}
