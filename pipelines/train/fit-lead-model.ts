import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { caseSensitiveColumns } from '../../features/category-key.ts';
import { encodeFrame } from '../../features/encode-features.ts';
import { InputError } from '../../features/errors.ts';
import type { FeatureSpec } from '../../features/feature-spec.ts';
import { fitFeatureSpec } from '../../features/fit-feature-spec.ts';
import type { Frame } from '../../features/frame.ts';
import { takeMatrixRows, type Matrix } from '../../features/matrix.ts';
import { MANIFEST_FORMAT, type InputFingerprint, type Manifest } from '../../models/artifact/manifest.ts';
import { fitCalibrator } from '../../models/calibration/calibrator.ts';
import { compileRulesText, LeadModel, type FrameScoring, type ShippedRules } from '../../models/lead-model.ts';
import { checkRuleNames, type RuleNames } from '../../models/rules/check-rule-names.ts';
import { UnknownRuleNamesError } from '../../models/rules/unknown-rule-names-error.ts';
import { createScorer } from '../../models/scorer-registry.ts';
import type { FitOptions } from '../../models/scorer.ts';
import { activeBackend, useBackend, type BackendChoice } from '../../models/tf-backend.ts';
import {
  checkMinimumData,
  chooseTierThresholds,
  compareModelToRules,
  splitFrame,
  type ModelRulesComparison,
  type SplitIndices,
} from '../../training/index.ts';
import { columnLabels, valueLabelMaps } from '../config/labels.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { noPhases, type Phases } from '../io/phases.ts';
import { ruleTallyFor } from '../rules/batch-rule-tally.ts';
import { knownNames } from '../rules/known-names.ts';
import { takeData, type PreparedData } from './prepare-data.ts';

export interface FitLeadModelOptions {
  /** TensorFlow.js backend. Default auto (tfjs-node when installed, else the faster of wasm and cpu). */
  backend?: BackendChoice;
  /** Per-epoch progress of the model fit. */
  onProgress?: FitOptions['onProgress'];
  /** Version id of the new model. */
  version: string;
  /** Creation time (ISO). */
  createdAt: string;
  /** Fingerprints of the input files. */
  inputs: InputFingerprint[];
  fingerprint: string;
  /** Train even when the rules name columns or event types the data lacks. Default false: refused. */
  allowUnknownRuleColumns?: boolean;
  /** Told the phases: features, fitting, calibrating, evaluating. */
  phases?: Phases;
}

export interface FittedLeadModel {
  model: LeadModel;
  split: SplitIndices;
  /** Model and rules on the held-out test rows (validation rows when the split keeps no test rows). */
  comparison: ModelRulesComparison;
  /** Which rows the comparison used. */
  evaluatedOn: 'test' | 'validation';
  /** Those rows as the comparison scored them (the report after training reuses them). */
  heldRows: ScoredFrame;
}

/**
 * Fits a lead model on prepared data, as the dataset config's `training:` says: split,
 * feature spec on training rows only, model with early stopping on validation rows,
 * calibration and tier thresholds on validation rows, then model and rules compared on
 * the held-out test rows.
 */
export async function fitLeadModel(
  loaded: LoadedConfig,
  data: PreparedData,
  options: FitLeadModelOptions,
): Promise<FittedLeadModel> {
  const { config } = loaded;
  const t = config.training;
  const { frame } = data;
  if (!frame.label) throw new InputError(`${frame.source}: no label to train on`);
  if (frame.rowCount === 0) throw new InputError(`${frame.source}: no rows to train on`);
  checkMinimumData(frame.label, frame.source, t);
  // Before any fitting: rules naming what the data lacks would make the comparison wrong.
  const rules = config.rules ? await readRules(config.rules, caseSensitiveColumns(config.columns)) : null;
  const unknownNames = rules ? await unknownRuleNames(rules.engine, data, config.rules!, options) : undefined;
  const split = splitFrame(frame, t.split, t.seed);
  checkMinimumData(
    Uint8Array.from(split.train, (r) => frame.label![r]!),
    `${frame.source} (training rows)`,
    { minPositives: 1, minNegatives: 1 },
  );
  const phases = options.phases ?? noPhases;
  const { spec, featureCount, backend, scorer, calibrator, tiers } = await fitCalibratedScorer(
    config,
    data,
    split,
    options,
    phases,
  );
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    version: options.version,
    createdAt: options.createdAt,
    dataset: config.name,
    inputs: options.inputs,
    fingerprint: options.fingerprint,
    config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>,
    featureSpecHash: '',
    featureCount,
    model: { kind: t.model, options: t.modelOptions },
    calibration: t.calibration,
    backend: backend === 'none' ? 'none' : (activeBackend() ?? backend),
    seed: t.seed,
    tiers,
    rules: rules ? { name: rules.name, file: 'rules.yaml', ...(unknownNames && { unknownNames }) } : null,
    metrics: {},
    files: {},
  };
  const model = new LeadModel({ manifest, spec, scorer, calibrator, rules });
  phases.phase('evaluating');
  const evaluatedOn = split.test.length > 0 ? 'test' : 'validation';
  const held = evaluatedOn === 'test' ? split.test : split.validation;
  const heldRows = await scoreRows(model, data, held);
  const comparison = compareScored(model, heldRows, `${evaluatedOn} rows of ${path.basename(frame.source)}`, t);
  manifest.metrics = { evaluatedOn, ...comparison };
  return { model, split, comparison, evaluatedOn, heldRows };
}

/**
 * The feature spec, the fitted scorer, its calibrator and tier thresholds: features, fitting
 * and calibrating. The encoded rows live only in here, so that the evaluation after it does
 * not hold them.
 */
async function fitCalibratedScorer(
  config: LoadedConfig['config'],
  data: PreparedData,
  split: SplitIndices,
  options: FitLeadModelOptions,
  phases: Phases,
) {
  const t = config.training;
  phases.phase('features');
  const { spec, featureCount, train, validation } = fittingRows(config, data, split);
  const backend = t.model === 'gbdt' ? 'none' : await useBackend(options.backend ?? 'auto');
  const scorer = await createScorer(t.model, t.modelOptions);
  phases.phase('fitting');
  await scorer.fit(train.x, train.y, { validation, seed: t.seed, onProgress: options.onProgress });
  phases.phase('calibrating');
  const calibrator = fitCalibrator(t.calibration, await scorer.predictProba(validation.x), validation.y);
  const pValidation = await scorer.predictProba(validation.x).then((p) => (calibrator ? calibrator.apply(p) : p));
  const tiers = chooseTierThresholds(validation.y, pValidation, t.tiers);
  return { spec, featureCount, backend, scorer, calibrator, tiers };
}

/**
 * The matrix a model is fitted on: the feature spec fitted on `trainRows` only (encoders
 * never see held-out rows), and every row of the prepared data encoded with it.
 */
export function encodeTrainingSet(
  config: LoadedConfig['config'],
  data: Pick<PreparedData, 'frame' | 'asOf' | 'events'>,
  trainRows: ArrayLike<number>,
): { spec: FeatureSpec; x: Matrix } {
  const spec = fitFeatureSpec(data.frame, config.columns, {
    rows: trainRows,
    asOf: data.asOf,
    events: data.events,
    missingValues: config.missingValues,
    labels: columnLabels(config.labels),
    valueLabels: valueLabelMaps(config.labels),
  });
  return { spec, x: encodeFrame(spec, data.frame, { asOf: data.asOf }) };
}

/**
 * The training and validation rows, encoded (see encodeTrainingSet). The matrix of every row
 * is dropped on return: the fit holds only its own rows (at 1M leads, the whole matrix is
 * half a gigabyte that no later step reads).
 */
function fittingRows(
  config: LoadedConfig['config'],
  data: PreparedData,
  split: SplitIndices,
): {
  spec: FeatureSpec;
  featureCount: number;
  train: ReturnType<typeof labelledRows>;
  validation: ReturnType<typeof labelledRows>;
} {
  const { spec, x } = encodeTrainingSet(config, data, split.train);
  const label = data.frame.label!;
  return {
    spec,
    featureCount: x.cols,
    train: labelledRows(x, label, split.train),
    validation: labelledRows(x, label, split.validation),
  };
}

/** Rows `idx` of an encoded matrix with their labels. */
export function labelledRows(x: Matrix, label: Uint8Array, idx: ArrayLike<number>): { x: Matrix; y: Uint8Array } {
  return { x: takeMatrixRows(x, idx), y: Uint8Array.from(idx, (r) => label[r]!) };
}

/** Rows of the prepared data scored by a model and its rules. */
export interface ScoredFrame {
  frame: Frame;
  asOf: Float64Array | undefined;
  scored: FrameScoring;
}

/** Scores `rows` of the prepared data (all when null) with the model and its rules. */
export async function scoreRows(
  model: LeadModel,
  data: PreparedData,
  rows: ArrayLike<number> | null,
): Promise<ScoredFrame> {
  const { frame, asOf } = rows ? takeData(data, rows) : data;
  const eventsByLead = await ruleTallyFor(data.eventsConfig, model.rules?.engine, frame.ids, asOf);
  return { frame, asOf, scored: await model.scoreFrame(frame, { asOf, eventsByLead }) };
}

/** Scores `rows` of the prepared data with the model (and its rules) and compares them. */
export async function compareOnRows(
  model: LeadModel,
  data: PreparedData,
  rows: ArrayLike<number> | null,
  source: string,
  t: { seed: number; evaluation: { bootstrapResamples: number } },
): Promise<ModelRulesComparison> {
  return compareScored(model, await scoreRows(model, data, rows), source, t);
}

/** Compares the model's scores with the rules' on scored rows. */
function compareScored(
  model: LeadModel,
  { frame, scored }: ScoredFrame,
  source: string,
  t: { seed: number; evaluation: { bootstrapResamples: number } },
): ModelRulesComparison {
  if (!frame.label) throw new InputError(`${frame.source}: no label to evaluate against`);
  return compareModelToRules(
    {
      source,
      labels: frame.label,
      probabilities: scored.probability,
      modelTiers: model.tiers,
      rules:
        scored.ruleScore && scored.ruleTier && model.rules
          ? { scores: scored.ruleScore, tiers: scored.ruleTier, tierOrder: model.rules.engine.tierNames }
          : undefined,
    },
    { resamples: t.evaluation.bootstrapResamples, seed: t.seed },
  );
}

/**
 * Checks the names the rules read against the data: unknown ones throw, unless allowed;
 * then they are returned, to be recorded in the manifest (a worker refuses them too).
 */
async function unknownRuleNames(
  rules: RuleNames,
  data: PreparedData,
  rulesFile: string,
  options: FitLeadModelOptions,
): Promise<{ columns: string[]; eventTypes: string[] } | undefined> {
  try {
    checkRuleNames(rules, await knownNames(data), rulesFile);
    return undefined;
  } catch (err) {
    if (!(err instanceof UnknownRuleNamesError) || !options.allowUnknownRuleColumns) throw err;
    return { columns: [...err.columns], eventTypes: [...err.eventTypes] };
  }
}

async function readRules(file: string, caseSensitive: ReadonlySet<string>): Promise<ShippedRules> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(`${file}: rules file not found`);
  }
  return compileRulesText(path.basename(file), text, caseSensitive);
}
