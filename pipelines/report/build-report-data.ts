import type { Matrix } from '../../features/matrix.ts';
import { formatZodError } from '../../features/zod-error.ts';
import { ReportData, type FeatureWeight, type ReportDataInput, type TierCutoffs } from './report-data.ts';
import { InvariantError } from '../../features/errors.ts';

/** Per-lead results of scoring the evaluated rows, as the scoring step produces them (typed arrays welcome). */
export interface ScoredRows {
  /** 1 = converted, 0 = not. */
  labels: ArrayLike<number>;
  /** The model's calibrated probabilities. */
  probabilities: ArrayLike<number>;
  /** The rules' total points. */
  ruleScores: ArrayLike<number>;
  /** Model tier name per lead, and the names best first. */
  modelTiers: ArrayLike<string>;
  modelTierOrder: readonly string[];
  /** Rule tier name per lead, and the names best first. */
  ruleTiers: ArrayLike<string>;
  ruleTierOrder: readonly string[];
}

/**
 * Assembles and validates ReportData from scored rows, feature weights and provenance.
 * Throws an Error naming the bad fields: these values come from the pipeline, not a user.
 */
export function buildReportData(
  rows: ScoredRows,
  extra: {
    provenance: ReportDataInput['provenance'];
    featureImportances?: FeatureWeight[];
    featureUnit?: 'points' | 'log-odds';
    tierCutoffs?: TierCutoffs;
    title?: string;
  },
): ReportData {
  const input: ReportDataInput = {
    ...(extra.title === undefined ? {} : { title: extra.title }),
    provenance: extra.provenance,
    modelTiers: [...rows.modelTierOrder],
    ruleTiers: [...rows.ruleTierOrder],
    rows: {
      label: Array.from(rows.labels, (y) => (y ? 1 : 0)),
      modelProbability: Array.from(rows.probabilities),
      ruleScore: Array.from(rows.ruleScores),
      modelTier: Array.from(rows.modelTiers),
      ruleTier: Array.from(rows.ruleTiers),
    },
    featureImportances: extra.featureImportances ?? [],
    ...(extra.featureUnit === undefined ? {} : { featureUnit: extra.featureUnit }),
    ...(extra.tierCutoffs === undefined ? {} : { tierCutoffs: extra.tierCutoffs }),
  };
  const result = ReportData.safeParse(input);
  if (!result.success) throw new InvariantError(`report data: ${formatZodError(result.error).slice(0, 500)}`);
  return result.data;
}

/**
 * Feature weights with direction from per-lead contributions (`Scorer.explain`, rows ×
 * features, in logit units): the size is the mean |contribution| over the rows, so a
 * feature that moves many leads a lot ranks first; the sign is that of the covariance
 * between the feature's value and its contribution (positive: higher values raise the
 * score), falling back to the sign of the mean contribution for a constant feature.
 */
export function featureWeightsFromContributions(
  x: Matrix,
  contributions: Matrix,
  names: readonly string[],
): FeatureWeight[] {
  if (x.rows !== contributions.rows || x.cols !== contributions.cols || names.length !== x.cols) {
    throw new RangeError(
      `shapes differ: x ${x.rows}×${x.cols}, contributions ${contributions.rows}×${contributions.cols}, ${names.length} names`,
    );
  }
  const { rows, cols } = x;
  const out: FeatureWeight[] = [];
  for (let j = 0; j < cols; j++) {
    let sumX = 0;
    let sumC = 0;
    let sumAbs = 0;
    for (let r = 0; r < rows; r++) {
      sumX += x.data[r * cols + j]!;
      sumC += contributions.data[r * cols + j]!;
      sumAbs += Math.abs(contributions.data[r * cols + j]!);
    }
    const meanX = rows ? sumX / rows : 0;
    const meanC = rows ? sumC / rows : 0;
    let cov = 0;
    for (let r = 0; r < rows; r++) cov += (x.data[r * cols + j]! - meanX) * (contributions.data[r * cols + j]! - meanC);
    const sign = cov > 0 ? 1 : cov < 0 ? -1 : Math.sign(meanC);
    out.push({ feature: names[j]!, weight: rows ? (sign * sumAbs) / rows : 0 });
  }
  return out;
}
