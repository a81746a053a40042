/**
 * The `leadscore` package: the typed API a data scientist scripts against. Load a dataset
 * config, train and evaluate a model version, score a file or leads held in memory, score
 * with marketing's rules, check drift, and manage the model registry. The serving worker,
 * its job schemas and the client are in `leadscore/serving`.
 *
 * What this file does not export is internal and may change without notice.
 */

// Dataset configs.
export { loadDatasetConfig as loadConfig, type LoadedConfig } from './pipelines/config/load-config.ts';
export { DatasetConfig } from './pipelines/config/dataset-config.ts';

// Training, evaluation and batch scoring.
export {
  runTrain as train,
  type RunTrainOptions as TrainOptions,
  type TrainResult,
} from './pipelines/train/run-train.ts';
export { loadModelDir as loadModel, type LoadedModel } from './pipelines/evaluate/load-model.ts';
export { runEvaluate as evaluate, type EvaluateOptions, type Evaluation } from './pipelines/evaluate/run-evaluate.ts';
export { runScore as score, scoreColumns, type ScoreOptions } from './pipelines/score/run-score.ts';
export type { ModelRulesComparison } from './training/index.ts';

// A model version in memory: score leads one by one or by the thousand.
export { LeadModel, type LeadInput, type LeadScoreResult, type Reason } from './models/lead-model.ts';
export type { LeadAttributes } from './features/frame.ts';
export type { EngagementEvent } from './features/events.ts';
export { useBackend, type BackendChoice, type BackendName } from './models/tf-backend.ts';

// Marketing's points rules.
export { loadRulesFile as loadRules } from './pipelines/rules/load-rules-file.ts';
export { compileRules } from './models/rules/compile-rules.ts';
export { scoreWithRules, type ScoreWithRulesOptions, type RuleScoring } from './pipelines/rules/score-with-rules.ts';
export type { RulesFile } from './models/rules/rules-file.ts';
export type { RuleEngine, RuleScore, FiredRule, ManualPoints } from './models/rules/rule-engine.ts';

// Drift of new leads against a model's training data.
export {
  runDrift as drift,
  type RunDriftOptions as DriftOptions,
  type DriftRun,
} from './pipelines/lifecycle/run-drift.ts';
export type { DriftReport, FeatureDrift } from './training/drift/compare-drift.ts';

// The model registry and its production pointer.
export { ModelRegistry, type PromoteOptions, type PromoteResult } from './pipelines/registry/model-registry.ts';
export type { VersionSummary } from './pipelines/registry/version-summary.ts';
export type { ProductionRecord, HistoryEntry } from './pipelines/registry/production-record.ts';

// Exploring data, features and metrics in a script or notebook: the leads as typed columns,
// their profile, the feature encoders, drift between two frames, the evaluation metrics and
// calibrators, and Vega-Lite charts rendered to SVG as the HTML report draws them.
export { loadLeads, type LoadOptions, type LoadResult, type BadRow } from './pipelines/io/load-leads.ts';
export {
  frameRow,
  frameColumn,
  takeRows,
  type Frame,
  type FrameColumn,
  type ColumnType,
  type CellValue,
} from './features/frame.ts';
export { runProfile as profile, type RunProfileOptions as ProfileOptions } from './pipelines/profile/run-profile.ts';
export { formatProfile } from './pipelines/profile/format-profile.ts';
export { fitFeatureSpec } from './features/fit-feature-spec.ts';
export { encodeFrame } from './features/encode-features.ts';
export { featureInfo, featureNames, type FeatureSpec, type FeatureInfo } from './features/feature-spec.ts';
export type { Matrix } from './features/matrix.ts';
export { driftReference, type DriftReference } from './training/drift/drift-reference.ts';
export { compareDrift, type CompareDriftOptions } from './training/drift/compare-drift.ts';
export {
  rocAuc,
  averagePrecision,
  logLoss,
  brierScore,
  expectedCalibrationError,
  reliabilityBins,
  formatComparison,
} from './training/index.ts';
export { fitCalibrator, type Calibrator, type CalibrationMethod } from './models/calibration/calibrator.ts';
export { renderChartSvg as renderChart } from './pipelines/report/render-chart.ts';

// Errors: bad input of any kind is an InputError whose message names the file, row or field;
// a misuse of the API or a bug is one of the named classes beside it (never a bare Error).
export {
  InputError,
  InvariantError,
  LifecycleError,
  MissingDependencyError,
  NotFittedError,
  ShapeMismatchError,
} from './features/errors.ts';
