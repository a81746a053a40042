/**
 * Model tiers (hot / warm / cold by default): thresholds on the calibrated probability,
 * chosen on validation rows by the configured policy and stored in the artifact, so the
 * serving worker tiers a lead exactly as the evaluation did.
 */

import { assignTiers, tierIndexOf, TierThresholds } from '../models/tier-thresholds.ts';
import { checkLabelsAndScores, groupCounts, rankScores, type Labels, type Scores } from './metrics/ranking.ts';
import { monotoneRates } from './monotone-rates.ts';
import type { TierPolicy } from './training-config.ts';

export { assignTiers, tierIndexOf, TierThresholds };

/** Leads and conversions of one tier. `conversionRate` is null for an empty tier. */
export interface TierSummary {
  tier: string;
  leads: number;
  share: number;
  conversions: number;
  conversionRate: number | null;
}

/** A cut between two adjacent tie groups: halfway, so new scores near the edge split evenly. */
function cutBelow(groupScore: Float64Array, lastIncluded: number): number {
  const above = groupScore[lastIncluded]!;
  const below = groupScore[lastIncluded + 1];
  return below === undefined ? above : (above + below) / 2;
}

/**
 * Thresholds chosen on validation rows. `capacity`: each tier takes its share of the rows
 * best first (a tie group at the boundary goes in whole). `targetRate`: a lead's expected
 * conversion rate is the isotonic fit of the validation outcomes on its probability; each
 * tier holds the leads whose expected rate reaches its target (and not an earlier one's).
 * A tier no validation lead qualifies for stays empty (threshold null).
 */
export function chooseTierThresholds(labels: Labels, probabilities: Scores, policy: TierPolicy): TierThresholds {
  checkLabelsAndScores(labels, probabilities);
  const ranking = rankScores(probabilities);
  const { positives, rows } = groupCounts(labels, ranking);
  const groups = rows.length;
  const n = labels.length;
  const thresholds: (number | null)[] = [];
  // First group not yet given to a tier.
  let next = 0;
  if (policy.policy === 'capacity') {
    let cumulative = 0;
    for (const share of policy.shares) {
      cumulative += share;
      const wanted = Math.min(n, Math.round(n * cumulative));
      // Take groups while the rows so far fall short of the cumulative capacity.
      let g = next;
      while (g < groups && ranking.groupStart[g]! < wanted) g++;
      if (g === next) {
        // Earlier tiers (or rounding) already fill this capacity: the tier stays empty.
        thresholds.push(null);
        continue;
      }
      thresholds.push(cutBelow(ranking.groupScore, g - 1));
      next = g;
    }
    return { policy: 'capacity', names: [...policy.names], thresholds };
  }
  // Expected conversion rate of each group, fitted over groups from the lowest score up.
  const reversed = (a: Float64Array) => Float64Array.from(a).reverse();
  const expected = monotoneRates(reversed(positives), reversed(rows)).reverse();
  for (const target of policy.targetRates) {
    // Groups are best first and `expected` is non-increasing: extend the tier while it holds.
    let g = next;
    while (g < groups && expected[g]! >= target) g++;
    if (g === next) {
      thresholds.push(null);
      continue;
    }
    thresholds.push(cutBelow(ranking.groupScore, g - 1));
    next = g;
  }
  return { policy: 'targetRate', names: [...policy.names], thresholds };
}

/**
 * Leads, share and conversion rate per tier, in `order` (best first), empty tiers
 * included. Works for model tiers and rule tiers alike; a tier name outside `order` is
 * an error.
 */
export function tierSummary(labels: Labels, tiers: ArrayLike<string>, order: readonly string[]): TierSummary[] {
  if (labels.length !== tiers.length)
    throw new RangeError(`labels (${labels.length}) and tiers (${tiers.length}) differ in length`);
  const counts = new Map(order.map((t) => [t, { leads: 0, conversions: 0 }]));
  for (let i = 0; i < labels.length; i++) {
    const c = counts.get(tiers[i]!);
    if (!c) throw new RangeError(`row index ${i}: tier "${tiers[i]}" is not one of ${order.join(', ')}`);
    c.leads++;
    c.conversions += labels[i] ? 1 : 0;
  }
  return order.map((tier) => {
    const c = counts.get(tier)!;
    return {
      tier,
      leads: c.leads,
      share: labels.length ? c.leads / labels.length : 0,
      conversions: c.conversions,
      conversionRate: c.leads ? c.conversions / c.leads : null,
    };
  });
}
