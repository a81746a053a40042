/**
 * Probability metrics: they judge the numbers themselves, not just their order, so they
 * apply to the model's calibrated probabilities and never to rule points.
 */

import { checkLabelsAndScores, type Labels, type Scores } from './ranking.ts';

/**
 * Probabilities are clipped to [eps, 1 - eps] so a confident miss costs a large but finite
 * loss. The float64 machine epsilon, as scikit-learn's log_loss does (eps='auto', 1.2+).
 */
export const LOG_LOSS_EPSILON = Number.EPSILON;

function checkProbabilities(labels: Labels, probabilities: Scores): void {
  checkLabelsAndScores(labels, probabilities);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (p < 0 || p > 1) throw new RangeError(`probability at row index ${i} is ${p}, outside [0, 1]`);
  }
}

/** Mean negative log-likelihood (natural log), probabilities clipped to [eps, 1 - eps] (eps 2.2e-16). NaN for no rows. */
export function logLoss(labels: Labels, probabilities: Scores, eps = LOG_LOSS_EPSILON): number {
  checkProbabilities(labels, probabilities);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probabilities[i]!, eps), 1 - eps);
    sum -= labels[i] ? Math.log(p) : Math.log(1 - p);
  }
  return labels.length ? sum / labels.length : NaN;
}

/** Mean squared difference between probability and outcome. NaN for no rows. */
export function brierScore(labels: Labels, probabilities: Scores): number {
  checkProbabilities(labels, probabilities);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (probabilities[i]! - labels[i]!) ** 2;
  return labels.length ? sum / labels.length : NaN;
}

/** One bin of a reliability diagram; empty bins are left out. */
export interface ReliabilityBin {
  /** 1-based position among the bins (of all bins, empty ones included). */
  bin: number;
  /** Probability range of the bin: (lower, upper], the first bin including 0 (uniform bins). */
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** How reliability bins are cut: equal widths of probability, or equal numbers of leads. */
export type BinStrategy = 'uniform' | 'quantile';

/**
 * Reliability-diagram bins. `uniform` (default): `bins` equal-width bins over [0, 1], each
 * holding (lower, upper] and the first also 0, as scikit-learn's calibration_curve cuts
 * them. `quantile`: equal numbers of leads by predicted probability, which keeps bins
 * populated when conversions are rare.
 */
export function reliabilityBins(
  labels: Labels,
  probabilities: Scores,
  bins = 10,
  strategy: BinStrategy = 'uniform',
): ReliabilityBin[] {
  checkProbabilities(labels, probabilities);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const n = labels.length;
  if (strategy === 'quantile') {
    const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => probabilities[a]! - probabilities[b]! || a - b,
    );
    const out: ReliabilityBin[] = [];
    for (let b = 0; b < bins; b++) {
      const from = Math.floor((b * n) / bins);
      const to = Math.floor(((b + 1) * n) / bins);
      if (to <= from) continue;
      let sumP = 0;
      let positives = 0;
      for (let k = from; k < to; k++) {
        sumP += probabilities[order[k]!]!;
        positives += labels[order[k]!]!;
      }
      const lower = probabilities[order[from]!]!;
      const upper = probabilities[order[to - 1]!]!;
      out.push({
        bin: b + 1,
        lower,
        upper,
        count: to - from,
        meanPredicted: sumP / (to - from),
        observedRate: positives / (to - from),
      });
    }
    return out;
  }
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const positives = new Float64Array(bins);
  // Edges k * step as numpy.linspace makes them, so values on an edge land where scikit-learn puts them.
  const step = 1 / bins;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i]!;
    let b = Math.min(Math.max(Math.ceil(p / step) - 1, 0), bins - 1);
    while (b > 0 && b * step >= p) b--;
    while (b < bins - 1 && (b + 1) * step < p) b++;
    count[b]!++;
    sumP[b]! += p;
    positives[b]! += labels[i]!;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b]!;
    if (c === 0) continue;
    out.push({
      bin: b + 1,
      lower: b / bins,
      upper: (b + 1) / bins,
      count: c,
      meanPredicted: sumP[b]! / c,
      observedRate: positives[b]! / c,
    });
  }
  return out;
}

/**
 * Expected calibration error: over 10 equal-width probability bins (see
 * `reliabilityBins`), the lead-weighted mean of |mean predicted - observed rate|. 0 is
 * perfect; NaN for no rows.
 */
export function expectedCalibrationError(labels: Labels, probabilities: Scores, bins = 10): number {
  const n = labels.length;
  if (n === 0) return NaN;
  let ece = 0;
  for (const b of reliabilityBins(labels, probabilities, bins, 'uniform'))
    ece += (b.count / n) * Math.abs(b.meanPredicted - b.observedRate);
  return ece;
}
