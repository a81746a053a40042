import {
  agreementCells,
  aucInterval,
  type AucInterval,
  modelMetrics,
  rankMetrics,
  reliabilityBins,
  rocCurve,
  tierSummary,
  type AgreementCell,
  type DecileGain,
  type ReliabilityBin,
  type TierSummary,
} from '../../training/index.ts';
import type { ReportData } from './report-data.ts';
import { scoreHistogram, type HistogramBar } from './score-histogram.ts';

/** Series names, as the charts and tables show them. */
export const MODEL = 'Model';
export const RULES = 'Rules';
export type Scorer = typeof MODEL | typeof RULES;

/** The headline numbers of one scorer on the evaluated rows. */
export interface ScorerSummary {
  auc: number;
  prAuc: number;
  /** Null for the rules: points are not probabilities. */
  brier: number | null;
  /** Expected calibration error (10 equal-width bins); null for the rules. */
  ece: number | null;
  /** Conversion rate of the top 10 % of leads over the overall rate. */
  liftTop10: number;
  /** Share of all conversions among the top 10 % of leads. */
  captureTop10: number;
  /** The best tier (first in the tier order). */
  topTier: TierSummary;
}

/** One feature bar: its weight and which way it moves the score. */
export interface FeatureBar {
  feature: string;
  weight: number;
  direction: 'raises score' | 'lowers score';
}

/** Every number the report and `compare` show, computed once from the per-lead arrays. */
export interface ReportNumbers {
  rows: number;
  conversions: number;
  baseRate: number;
  summary: { model: ScorerSummary; rules: ScorerSummary };
  roc: { scorer: Scorer; fpr: number; tpr: number }[];
  gains: (DecileGain & { scorer: Scorer })[];
  reliability: ReliabilityBin[];
  distributions: { model: HistogramBar[]; rules: HistogramBar[] };
  tiers: { model: TierSummary[]; rules: TierSummary[] };
  agreement: AgreementCell[];
  features: FeatureBar[];
  /** The model's AUC with its bootstrap interval (1000 resamples, seed 42): when it includes 0.5, the model is no better than chance. */
  modelAuc: AucInterval;
}

/** Options of `reportNumbers`; each has a default. */
export interface ReportNumbersOptions {
  /** Smallest move (|Δfpr| + |Δtpr|) between kept ROC points; curves of many thousand leads stay light. Default 0.004. */
  rocStep?: number;
  /** Bins of the reliability diagram. Default 10. */
  reliabilityBins?: number;
  /** Bins of each score distribution. Default 20. */
  histogramBins?: number;
  /** Features shown, largest |weight| first. Default 15. */
  topFeatures?: number;
  /** Bootstrap resamples of the model's AUC interval. Default 1000. */
  resamples?: number;
}

/** Computes the numbers behind every chart and table of the report. */
export function reportNumbers(data: ReportData, options: ReportNumbersOptions = {}): ReportNumbers {
  const { label, modelProbability, ruleScore, modelTier, ruleTier } = data.rows;
  const rows = label.length;
  const conversions = label.reduce<number>((a, b) => a + b, 0);
  const tiers = {
    model: tierSummary(label, modelTier, data.modelTiers),
    rules: tierSummary(label, ruleTier, data.ruleTiers),
  };
  const model = modelMetrics(label, modelProbability);
  const rules = rankMetrics(label, ruleScore);
  const step = options.rocStep ?? 0.004;
  return {
    rows,
    conversions,
    baseRate: rows ? conversions / rows : 0,
    summary: {
      model: {
        auc: model.auc,
        prAuc: model.prAuc,
        brier: model.brier,
        ece: model.ece,
        liftTop10: model.liftTop10,
        captureTop10: model.captureTop10,
        topTier: tiers.model[0]!,
      },
      rules: {
        auc: rules.auc,
        prAuc: rules.prAuc,
        brier: null,
        ece: null,
        liftTop10: rules.liftTop10,
        captureTop10: rules.captureTop10,
        topTier: tiers.rules[0]!,
      },
    },
    roc: [
      ...thinCurve(rocCurve(label, modelProbability), step).map(
        (p) => ({ scorer: MODEL, fpr: p.fpr, tpr: p.tpr }) as const,
      ),
      ...thinCurve(rocCurve(label, ruleScore), step).map((p) => ({ scorer: RULES, fpr: p.fpr, tpr: p.tpr }) as const),
    ],
    gains: [
      ...model.deciles.map((g) => ({ ...g, scorer: MODEL }) as const),
      ...rules.deciles.map((g) => ({ ...g, scorer: RULES }) as const),
    ],
    // Equal-count bins: with rare conversions, equal-width bins leave nearly every lead in the first.
    reliability: reliabilityBins(label, modelProbability, options.reliabilityBins ?? 10, 'quantile'),
    distributions: {
      model: scoreHistogram(label, modelProbability, { bins: options.histogramBins ?? 20, min: 0, max: 1 }),
      rules: scoreHistogram(label, ruleScore, { bins: options.histogramBins ?? 20 }),
    },
    tiers,
    agreement: agreementCells(label, ruleTier, modelTier, data.ruleTiers, data.modelTiers),
    features: topFeatures(data.featureImportances, options.topFeatures ?? 15),
    modelAuc: aucInterval(label, modelProbability, { resamples: options.resamples ?? 1000, seed: 42 }),
  };
}

/** The `count` features with the largest |weight|, largest first. */
export function topFeatures(weights: ReportData['featureImportances'], count: number): FeatureBar[] {
  return [...weights]
    .filter((w) => w.weight !== 0)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, count)
    .map((w) => ({ feature: w.feature, weight: w.weight, direction: w.weight > 0 ? 'raises score' : 'lowers score' }));
}

/**
 * Drops curve points closer than `step` (|Δx| + |Δy|) to the last kept one, always keeping
 * both ends: the drawn curve moves by less than `step` anywhere.
 */
export function thinCurve<P extends { fpr: number; tpr: number }>(points: P[], step: number): P[] {
  if (points.length <= 2 || step <= 0) return points;
  const kept: P[] = [points[0]!];
  for (let k = 1; k < points.length - 1; k++) {
    const last = kept[kept.length - 1]!;
    const p = points[k]!;
    if (Math.abs(p.fpr - last.fpr) + Math.abs(p.tpr - last.tpr) >= step) kept.push(p);
  }
  kept.push(points[points.length - 1]!);
  return kept;
}
