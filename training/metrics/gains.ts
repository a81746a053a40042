/**
 * Lift and cumulative gains: how many conversions sales finds by calling the best-scored
 * leads first. Boundaries fall at exact fractions of the row count; a tie group straddling
 * a boundary contributes its conversions pro rata, so ties neither help nor hurt.
 */

import {
  checkLabelsAndScores,
  countPositives,
  groupCounts,
  rankScores,
  type Labels,
  type Ranking,
  type Scores,
} from './ranking.ts';

/** One decile of leads ranked best first. Shares and rates are fractions (0..1). */
export interface DecileGain {
  /** 1 = the top 10 % of leads by score. */
  decile: number;
  /** Share of all leads in deciles 1..decile. */
  leadsShare: number;
  /** Share of all conversions found in deciles 1..decile (the cumulative gain). */
  captured: number;
  /** Conversion rate within this decile. */
  conversionRate: number;
  /** This decile's conversion rate over the overall rate. */
  lift: number;
  /** Conversion rate of deciles 1..decile over the overall rate. */
  cumulativeLift: number;
}

/** Lift and capture of the top share of leads. */
export interface TopGain {
  /** Share of leads taken, best first. */
  fraction: number;
  /** Conversion rate of those leads over the overall rate. */
  lift: number;
  /** Share of all conversions among them. */
  capture: number;
}

/** Expected conversions among the best `x` leads (x may be fractional), ties pro rata. */
function conversionsWithin(labels: Labels, ranking: Ranking): (x: number) => number {
  const { positives } = groupCounts(labels, ranking);
  const before = new Float64Array(positives.length + 1);
  for (let g = 0; g < positives.length; g++) before[g + 1] = before[g]! + positives[g]!;
  const starts = ranking.groupStart;
  return (x: number) => {
    // Binary search for the last group starting at or before x.
    let lo = 0;
    let hi = positives.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= x) lo = mid;
      else hi = mid - 1;
    }
    if (positives.length === 0) return 0;
    const size = starts[lo + 1]! - starts[lo]!;
    const inside = Math.min(Math.max(x - starts[lo]!, 0), size);
    return before[lo]! + (positives[lo]! * inside) / size;
  };
}

/** Lift and capture in the best `fraction` of leads (e.g. 0.1 for the top 10 %); 0 when nobody converted. */
export function topGain(
  labels: Labels,
  scores: Scores,
  fraction: number,
  ranking: Ranking = rankScores(scores),
): TopGain {
  checkLabelsAndScores(labels, scores);
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction must be in (0, 1], got ${fraction}`);
  const n = labels.length;
  const p = countPositives(labels);
  if (n === 0 || p === 0) return { fraction, lift: 0, capture: 0 };
  const taken = n * fraction;
  const converted = conversionsWithin(labels, ranking)(taken);
  return { fraction, lift: converted / taken / (p / n), capture: converted / p };
}

/** Cumulative gains and lift for each decile of leads ranked by score, best first. */
export function gainsByDecile(labels: Labels, scores: Scores, ranking: Ranking = rankScores(scores)): DecileGain[] {
  checkLabelsAndScores(labels, scores);
  const total = labels.length;
  const p = countPositives(labels);
  const baseRate = total ? p / total : 0;
  const within = conversionsWithin(labels, ranking);
  const out: DecileGain[] = [];
  let previousLeads = 0;
  let previousConversions = 0;
  for (let d = 1; d <= 10; d++) {
    const leads = (total * d) / 10;
    const conversions = within(leads);
    const decileLeads = leads - previousLeads;
    const rate = decileLeads > 0 ? (conversions - previousConversions) / decileLeads : 0;
    out.push({
      decile: d,
      leadsShare: d / 10,
      captured: p ? conversions / p : 0,
      conversionRate: rate,
      lift: baseRate ? rate / baseRate : 0,
      cumulativeLift: baseRate && leads ? conversions / leads / baseRate : 0,
    });
    previousLeads = leads;
    previousConversions = conversions;
  }
  return out;
}
