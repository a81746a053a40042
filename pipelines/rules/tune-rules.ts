import { isEventRule, type RulesFile } from '../../models/rules/rules-file.ts';
import { rocAuc } from '../../training/index.ts';
import { fitRuleWeights, type RuleWeights } from '../../training/rule-weights.ts';
import { niceEdge } from '../../training/scorecard.ts';
import { ruleColumns, ruleTotals, type RuleInput } from './rule-columns.ts';

/** One rule's line in the tuning table. */
export interface TunedRule {
  id: string;
  oldPoints: number;
  newPoints: number;
  /** Share of training rows it fires for. */
  fires: number;
  /** Conversion rate of the training rows it fires for (null when it never fires). */
  conversionWhenFires: number | null;
  status: RuleWeights['status'][number];
}

export interface TunedRules {
  /** The rules file with new points, event caps and tier thresholds; everything else as it was. */
  rules: RulesFile;
  table: TunedRule[];
  /** Share of training rows in each tier under the original rules, which the new thresholds keep. */
  tierShares: number[];
  /** Points per unit of log-odds the fitted weights were scaled by. */
  scale: number;
  trainRows: number;
}

/** Multiples of the spread-matching scale tried; the one ranking the training rows best wins (caps and rounding make it matter). */
const SCALE_STEPS = [0.5, 0.625, 0.75, 0.875, 1, 1.25, 1.5, 2, 3];

/**
 * Re-weights a rules file on labelled training rows: the rules' columns fitted by a
 * sign-keeping L2 logistic regression, scaled to points of the original's spread and
 * rounded to integers, event caps kept at the same number of events, tier thresholds
 * re-picked so each tier keeps its share of the training rows.
 */
export async function tuneRules(
  original: RulesFile,
  input: RuleInput & { labels: ArrayLike<number> },
  options: { l2?: number } = {},
): Promise<TunedRules> {
  const n = input.frame.rowCount;
  const columns = await ruleColumns(original, input);
  const fitted = fitRuleWeights(
    { columns, labels: input.labels, signs: original.rules.map((r) => Math.sign(r.points)) },
    options,
  );
  const before = await ruleTotals(original, input);
  const tierShares = original.tiers.map(
    (_, t) => before.tier.reduce((a, x) => a + (x === t ? 1 : 0), 0) / Math.max(1, n),
  );

  // Scale matching the spread of the original totals, then the best of a few multiples of it.
  const raw = new Float64Array(n);
  columns.forEach((c, j) => {
    const w = fitted.weights[j]!;
    if (w !== 0) for (let i = 0; i < n; i++) raw[i]! += w * c[i]!;
  });
  const base = std(before.total) > 0 && std(raw) > 0 ? std(before.total) / std(raw) : 10;
  let best: { rules: RulesFile; auc: number; scale: number } | null = null;
  for (const step of SCALE_STEPS) {
    const scale = base * step;
    const rules = withPoints(original, (j) =>
      fitted.status[j] === 'never-fires' ? original.rules[j]!.points : Math.round(fitted.weights[j]! * scale),
    );
    const auc = rocAuc(input.labels, (await ruleTotals(rules, input)).total);
    if (!best || auc > best.auc + 1e-9) best = { rules, auc, scale };
  }
  const tuned = best!.rules;
  const after = (await ruleTotals(tuned, input)).total;
  tuned.tiers = original.tiers.map((t, k) => (k === original.tiers.length - 1 ? { ...t } : { ...t, atLeast: 0 }));
  const cuts = thresholdsForShares(after, tierShares);
  cuts.forEach((c, k) => (tuned.tiers[k]!.atLeast = c));

  const table = original.rules.map((r, j): TunedRule => {
    let fires = 0;
    let won = 0;
    const c = columns[j]!;
    for (let i = 0; i < n; i++) {
      if (c[i] !== 0) {
        fires++;
        won += input.labels[i]!;
      }
    }
    return {
      id: r.id,
      oldPoints: r.points,
      newPoints: tuned.rules[j]!.points,
      fires: fires / Math.max(1, n),
      conversionWhenFires: fires ? won / fires : null,
      status: fitted.status[j]!,
    };
  });
  return { rules: tuned, table, tierShares, scale: best!.scale, trainRows: n };
}

/** A copy of `rules` with rule j worth `points(j)`; an event rule's cap keeps its number of events. */
export function withPoints(rules: RulesFile, points: (j: number) => number): RulesFile {
  const copy = structuredClone(rules);
  copy.rules.forEach((r, j) => {
    const p = points(j) || 0;
    if (isEventRule(r) && r.cap !== undefined && r.points !== 0 && p !== 0) r.cap = Math.abs((r.cap / r.points) * p);
    r.points = p;
  });
  return copy;
}

/**
 * Thresholds (every tier's but the last) so that tier k holds about `shares[k]` of the
 * rows: the score reached by that cumulative share, on the distinct values of `totals`,
 * strictly decreasing as a rules file needs.
 */
export function thresholdsForShares(totals: ArrayLike<number>, shares: readonly number[]): number[] {
  const sorted = Float64Array.from(totals).sort().reverse();
  const n = sorted.length;
  const distinct = [...new Set(sorted)];
  // Rows at or above each distinct value.
  const atOrAbove = distinct.map((v) => upperCount(sorted, v));
  const cuts: number[] = [];
  let cumulative = 0;
  let previous = Infinity;
  for (let k = 0; k < shares.length - 1; k++) {
    cumulative += shares[k]!;
    const wanted = cumulative * n;
    let at = -1;
    let gap = Infinity;
    distinct.forEach((v, d) => {
      const g = Math.abs(atOrAbove[d]! - wanted);
      if (v < previous && g < gap) {
        gap = g;
        at = d;
      }
    });
    // The simplest number between the picked total and the next lower one: same leads, readable threshold.
    const pick = at < 0 ? previous - 1 : niceEdge(distinct[at + 1] ?? distinct[at]! - 1, distinct[at]!);
    cuts.push(pick);
    previous = pick;
  }
  return cuts;
}

/** Rows of descending `sorted` that are at least `v`. */
function upperCount(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! >= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function std(x: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i]!;
    s2 += x[i]! * x[i]!;
  }
  const m = s / Math.max(1, x.length);
  return Math.sqrt(Math.max(0, s2 / Math.max(1, x.length) - m * m));
}
