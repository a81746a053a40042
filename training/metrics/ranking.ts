/**
 * Rank metrics: they only use the order of the scores, so they apply to model
 * probabilities and to rule points alike. Leads with equal scores form one tie group:
 * rule points tie a lot, and breaking ties by row order would make a scorer look better
 * or worse depending on how the file happened to be sorted.
 */

/** Labels (1 = converted, 0 = not) and scores, one per row. */
export type Labels = ArrayLike<number>;
export type Scores = ArrayLike<number>;

/** Rows grouped by equal score, best score first; computed once and shared by the metrics. */
export interface Ranking {
  /** Row indices, best score first (ties in row order). */
  order: Uint32Array;
  /** Start of each group in `order`, plus `order.length` at the end (length groups + 1). */
  groupStart: Uint32Array;
  /** Score of each group, decreasing. */
  groupScore: Float64Array;
  /** Group of each row. */
  groupOf: Uint32Array;
}

/** Throws when labels and scores differ in length, a label is not 0/1, or a score is not finite. */
export function checkLabelsAndScores(labels: Labels, scores: Scores): void {
  if (labels.length !== scores.length)
    throw new RangeError(`labels (${labels.length}) and scores (${scores.length}) differ in length`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new RangeError(`label at row index ${i} is ${y}, not 0 or 1`);
    if (!Number.isFinite(scores[i]))
      throw new RangeError(`score at row index ${i} is ${scores[i]}, not a finite number`);
  }
}

/** Positives among `labels`. */
export function countPositives(labels: Labels): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) p += labels[i]!;
  return p;
}

/** Sorts the rows by score once; every rank metric can reuse the result. */
export function rankScores(scores: Scores): Ranking {
  const n = scores.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const starts: number[] = [];
  const values: number[] = [];
  const groupOf = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const s = scores[order[k]!]!;
    if (k === 0 || s !== values[values.length - 1]) {
      starts.push(k);
      values.push(s);
    }
    groupOf[order[k]!] = values.length - 1;
  }
  starts.push(n);
  return { order, groupStart: Uint32Array.from(starts), groupScore: Float64Array.from(values), groupOf };
}

/** Positives and rows per tie group, best first. */
export function groupCounts(labels: Labels, ranking: Ranking): { positives: Float64Array; rows: Float64Array } {
  const groups = ranking.groupScore.length;
  const positives = new Float64Array(groups);
  const rows = new Float64Array(groups);
  for (let i = 0; i < labels.length; i++) {
    const g = ranking.groupOf[i]!;
    rows[g]!++;
    positives[g]! += labels[i]!;
  }
  return { positives, rows };
}

/**
 * ROC AUC from per-group positive and negative weights (best group first): the chance a
 * random positive outscores a random negative, ties counting half (the average-rank
 * Mann-Whitney statistic). NaN when a class has no weight.
 */
export function aucFromGroups(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  let below = 0;
  let area = 0;
  let totalPositive = 0;
  // Walk from the worst group up, counting the negatives each positive beats.
  for (let g = positives.length - 1; g >= 0; g--) {
    const p = positives[g]!;
    const q = negatives[g]!;
    area += p * (below + q / 2);
    below += q;
    totalPositive += p;
  }
  return totalPositive > 0 && below > 0 ? area / (totalPositive * below) : NaN;
}

/** ROC AUC with ties counted half (scikit-learn's roc_auc_score); NaN when a class is absent. */
export function rocAuc(labels: Labels, scores: Scores, ranking: Ranking = rankScores(scores)): number {
  checkLabelsAndScores(labels, scores);
  const { positives, rows } = groupCounts(labels, ranking);
  const negatives = rows.map((r, g) => r - positives[g]!);
  return aucFromGroups(positives, negatives);
}

/** One point of a ROC curve: the rates when every lead scoring at least `threshold` is called positive. */
export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number;
}

/**
 * The ROC curve from (0, 0) to (1, 1), one point per distinct score, best first. The first
 * point's threshold is +Infinity (nobody called positive). Rates are 0 when a class is absent.
 */
export function rocCurve(labels: Labels, scores: Scores, ranking: Ranking = rankScores(scores)): RocPoint[] {
  checkLabelsAndScores(labels, scores);
  const { positives, rows } = groupCounts(labels, ranking);
  const p = countPositives(labels);
  const n = labels.length - p;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  for (let g = 0; g < rows.length; g++) {
    tp += positives[g]!;
    fp += rows[g]! - positives[g]!;
    points.push({ fpr: n ? fp / n : 0, tpr: p ? tp / p : 0, threshold: ranking.groupScore[g]! });
  }
  return points;
}

/**
 * PR AUC as average precision (scikit-learn's average_precision_score): the sum over
 * distinct score thresholds of precision times the gain in recall; a tie group counts as
 * one threshold. NaN without positives.
 */
export function averagePrecision(labels: Labels, scores: Scores, ranking: Ranking = rankScores(scores)): number {
  checkLabelsAndScores(labels, scores);
  const { positives, rows } = groupCounts(labels, ranking);
  const p = countPositives(labels);
  if (p === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let g = 0; g < rows.length; g++) {
    tp += positives[g]!;
    seen += rows[g]!;
    ap += (positives[g]! / p) * (tp / seen);
  }
  return ap;
}
