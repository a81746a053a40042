/**
 * Model versus rules on the same rows: the metrics of each, the AUC difference with its
 * bootstrap interval, both tier summaries and where the two tierings agree.
 */

import { InputError } from '../features/errors.ts';
import type { AgreementCell, ModelMetrics, ModelRulesComparison, RankMetrics } from './comparison.ts';
import { aucIntervalOf } from './chance.ts';
import { bootstrapAucs } from './metrics/bootstrap.ts';
import { gainsByDecile, topGain } from './metrics/gains.ts';
import { brierScore, expectedCalibrationError, logLoss } from './metrics/probability.ts';
import {
  averagePrecision,
  checkLabelsAndScores,
  countPositives,
  rankScores,
  rocAuc,
  type Labels,
  type Scores,
} from './metrics/ranking.ts';
import { assignTiers, tierSummary, type TierThresholds } from './tiers.ts';

/** The rules' view of the same rows. */
export interface RuleScores {
  /** Points per row (not probabilities). */
  scores: Scores;
  /** Rule tier name per row. */
  tiers: ArrayLike<string>;
  /** Rule tier names, best first. */
  tierOrder: readonly string[];
}

/** What to compare. All arrays are per row and of the same length. */
export interface CompareInput {
  /** Where the rows came from (file and part, e.g. `test rows of leads.csv`), for messages. */
  source: string;
  labels: Labels;
  /** The model's calibrated probabilities. */
  probabilities: Scores;
  /** The model's tier thresholds (from the artifact). */
  modelTiers: TierThresholds;
  /** Absent when the data set has no rules file: rule parts of the result are null. */
  rules?: RuleScores;
}

/** Settings of the comparison. */
export interface CompareOptions {
  /** Bootstrap resamples for the AUC-difference interval. Default 1000. */
  resamples?: number;
  /** Seed of the bootstrap. Default 42. */
  seed?: number;
}

/** AUC, PR AUC, top-10 % lift and capture, and deciles of any score. */
export function rankMetrics(labels: Labels, scores: Scores): RankMetrics {
  const ranking = rankScores(scores);
  const top = topGain(labels, scores, 0.1, ranking);
  return {
    auc: rocAuc(labels, scores, ranking),
    prAuc: averagePrecision(labels, scores, ranking),
    liftTop10: top.lift,
    captureTop10: top.capture,
    deciles: gainsByDecile(labels, scores, ranking),
  };
}

/** Rank metrics plus log loss, Brier score and expected calibration error of probabilities. */
export function modelMetrics(labels: Labels, probabilities: Scores): ModelMetrics {
  return {
    ...rankMetrics(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
    brier: brierScore(labels, probabilities),
    ece: expectedCalibrationError(labels, probabilities),
  };
}

/** Every rule tier × model tier cell (rule tiers outer, both best first), empty cells included. */
export function agreementCells(
  labels: Labels,
  ruleTiers: ArrayLike<string>,
  modelTiers: ArrayLike<string>,
  ruleOrder: readonly string[],
  modelOrder: readonly string[],
): AgreementCell[] {
  const key = (r: string, m: string) => `${r}\u0000${m}`;
  const cells = new Map<string, AgreementCell>();
  for (const r of ruleOrder) {
    for (const m of modelOrder)
      cells.set(key(r, m), { ruleTier: r, modelTier: m, leads: 0, share: 0, conversions: 0, conversionRate: null });
  }
  for (let i = 0; i < labels.length; i++) {
    const cell = cells.get(key(ruleTiers[i]!, modelTiers[i]!));
    if (!cell)
      throw new RangeError(`row index ${i}: tiers "${ruleTiers[i]}" × "${modelTiers[i]}" are not in the tier lists`);
    cell.leads++;
    cell.conversions += labels[i] ? 1 : 0;
  }
  for (const cell of cells.values()) {
    cell.share = labels.length ? cell.leads / labels.length : 0;
    cell.conversionRate = cell.leads ? cell.conversions / cell.leads : null;
  }
  return [...cells.values()];
}

/**
 * Compares the model with the rules on the same rows. Rank metrics apply to both;
 * probability metrics to the model only. Throws an InputError naming `source` when the
 * rows lack either class, since AUC and lift are then undefined.
 */
export function compareModelToRules(input: CompareInput, options: CompareOptions = {}): ModelRulesComparison {
  const { labels, probabilities, rules } = input;
  checkLabelsAndScores(labels, probabilities);
  if (rules) {
    checkLabelsAndScores(labels, rules.scores);
    if (rules.tiers.length !== labels.length)
      throw new RangeError(`labels (${labels.length}) and rule tiers (${rules.tiers.length}) differ in length`);
  }
  const rows = labels.length;
  const positives = countPositives(labels);
  if (positives === 0 || positives === rows) {
    throw new InputError(
      `${input.source}: ${positives} of ${rows} rows converted; evaluation needs both converted and unconverted leads`,
      {
        rows,
        positives,
      },
    );
  }
  const bootstraps = bootstrapAucs(labels, probabilities, rules?.scores, {
    resamples: options.resamples ?? 1000,
    seed: options.seed ?? 42,
  });
  const modelTierNames = assignTiers(probabilities, input.modelTiers);
  const modelOrder = input.modelTiers.names;
  return {
    rows,
    positives,
    positiveRate: positives / rows,
    model: modelMetrics(labels, probabilities),
    rules: rules ? rankMetrics(labels, rules.scores) : null,
    // The model's AUC interval and its difference from the rules' come from the same draws.
    modelAuc: aucIntervalOf(bootstraps.alone),
    aucDifference: bootstraps.versus ?? null,
    tiers: {
      model: tierSummary(labels, modelTierNames, modelOrder),
      rules: rules ? tierSummary(labels, rules.tiers, rules.tierOrder) : [],
    },
    agreement: rules
      ? {
          ruleTiers: [...rules.tierOrder],
          modelTiers: [...modelOrder],
          cells: agreementCells(labels, rules.tiers, modelTierNames, rules.tierOrder, modelOrder),
        }
      : null,
  };
}
