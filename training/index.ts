/**
 * The training layer's public API. Everything here is pure (no I/O, randomness only
 * from a passed seed); pipelines/ loads the data and writes the results.
 *
 * Typical evaluation flow, for held-out rows of a loaded frame:
 *
 *   const parts = splitFrame(frame, config.training.split, config.training.seed);
 *   checkMinimumData(frameLabels(frame), frame.source, config.training);
 *   // ...fit on parts.train, calibrate on parts.validation...
 *   const tiers = chooseTierThresholds(yValidation, pValidation, config.training.tiers);
 *   const result = compareModelToRules(
 *     { source, labels: yTest, probabilities: pTest, modelTiers: tiers,
 *       rules: { scores: ruleScores, tiers: ruleTiers, tierOrder: ruleTierNames } },
 *     { resamples: config.training.evaluation.bootstrapResamples, seed: config.training.seed },
 *   );
 *   console.log(formatComparison(result));   // or JSON.stringify(result)
 */

export {
  TrainingConfig,
  SplitConfig,
  TierPolicy,
  TargetRateTierPolicy,
  CapacityTierPolicy,
  EvaluationConfig,
} from './training-config.ts';
export { seededRandom, shuffleInPlace, type Random } from './random.ts';
export {
  stratifiedSplit,
  timeSplit,
  groupSplit,
  stratifiedKFold,
  rollingOriginFolds,
  type HoldoutFractions,
  type SplitIndices,
  type Fold,
  type RollingOriginOptions,
  type TimeOptions,
} from './splits.ts';
export { splitFrame, crossValidationFolds, frameLabels, frameTimes, frameGroups } from './split-rows.ts';
export { rankScores, rocAuc, rocCurve, averagePrecision, type Ranking, type RocPoint } from './metrics/ranking.ts';
export { gainsByDecile, topGain, type DecileGain, type TopGain } from './metrics/gains.ts';
export {
  logLoss,
  brierScore,
  expectedCalibrationError,
  reliabilityBins,
  LOG_LOSS_EPSILON,
  type ReliabilityBin,
  type BinStrategy,
} from './metrics/probability.ts';
export { bootstrapAucDifference, type AucDifference, type BootstrapOptions } from './metrics/bootstrap.ts';
export {
  TierThresholds,
  chooseTierThresholds,
  assignTiers,
  tierIndexOf,
  tierSummary,
  type TierSummary,
} from './tiers.ts';
export { checkMinimumData, classCounts, type MinimumData } from './min-data.ts';
export { ModelRulesComparison, ModelMetrics, RankMetrics, AgreementCell } from './comparison.ts';
export {
  compareModelToRules,
  modelMetrics,
  rankMetrics,
  agreementCells,
  type CompareInput,
  type CompareOptions,
  type RuleScores,
} from './compare.ts';
export { formatComparison, verdict } from './format-comparison.ts';
export { aucInterval, chanceStatement, noBetterThanChance, type AucInterval } from './chance.ts';
export { summariseFolds, spread, type FoldSummary, type Spread } from './cross-validation.ts';
