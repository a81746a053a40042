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

// Errors: bad input of any kind is an InputError whose message names the file, row or field;
// a misuse of the API or a bug is one of the named classes beside it (never a bare Error).
export { InputError, InvariantError, LifecycleError, NotFittedError, ShapeMismatchError } from './features/errors.ts';
