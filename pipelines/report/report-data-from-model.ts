import { encodeFrame, featureCount } from '../../features/encode-features.ts';
import { InputError } from '../../features/errors.ts';
import { featureInfo } from '../../features/feature-spec.ts';
import { takeNumbers, takeRows } from '../../features/frame.ts';
import type { Matrix } from '../../features/matrix.ts';
import type { LeadModel, ShippedRules } from '../../models/lead-model.ts';
import { loadModelDir, type LoadedModel } from '../evaluate/load-model.ts';
import { LabelledChunks } from '../evaluate/labelled-chunks.ts';
import { evaluatedRows, scoreChunks, type LabelledScores } from '../evaluate/labelled-scores.ts';
import type { Phases } from '../io/phases.ts';
import { fileFingerprint } from '../io/artifact-dir.ts';
import type { BadRow } from '../io/load-leads.ts';
import type { PreparedData } from '../train/prepare-data.ts';
import { scoreRows, type ScoredFrame } from '../train/fit-lead-model.ts';
import type { Labels } from '../config/labels.ts';
import { buildReportData, type ScoredRows } from './build-report-data.ts';
import { featurePoints, featureWords, tierCutoffs } from './report-extras.ts';
import type { FeatureWeight, ReportData } from './report-data.ts';

/** Rows explained for the feature chart: a spread sample keeps gradient attributions quick on large files. */
const MAX_EXPLAINED_ROWS = 5000;

/** Where the evaluated rows come from, for the report's provenance. */
export interface ReportRowsInfo {
  /** Which rows these are, e.g. `test rows of bank-full.csv`. */
  rows: string;
  /** Fingerprint of the data (the artifact's, or that of a `--data` file). */
  dataFingerprint: string;
  /** The data file as given, when not the training data. */
  dataFile?: string;
  /** When the numbers are computed. Default now. */
  now?: Date;
}

/**
 * Scores `rows` of prepared data (all rows when null) with the model and its shipped rules
 * and assembles the report input. Also used right after training, on the held-out rows.
 */
export async function reportDataFromScoring(
  model: LeadModel,
  data: PreparedData,
  rows: ArrayLike<number> | null,
  info: ReportRowsInfo,
  /** Those rows already scored by this model (as training's comparison did): not scored again. */
  scoredRows?: ScoredFrame,
): Promise<ReportData> {
  const rules = shippedRules(model);
  const { frame, asOf, scored } = scoredRows ?? (await scoreRows(model, data, rows));
  if (!frame.label) throw new InputError(`${frame.source}: no label to report against`);
  // Only the explained rows are encoded: a row's encoding does not depend on the others.
  const sample = explainedRows(frame.rowCount, null);
  const explained = sample.length === frame.rowCount;
  const x = encodeFrame(model.spec, explained ? frame : takeRows(frame, sample), {
    asOf: asOf && !explained ? takeNumbers(asOf, sample) : asOf,
  });
  return reportDataOf(
    model,
    {
      labels: frame.label,
      probabilities: scored.probability,
      ruleScores: scored.ruleScore!,
      modelTiers: scored.tier,
      modelTierOrder: model.tierNames,
      ruleTiers: scored.ruleTier!,
      ruleTierOrder: rules.engine.tierNames,
    },
    x,
    info,
  );
}

/** The rules shipped with the model: a report compares the model with them, so a model without them has none. */
function shippedRules(model: LeadModel): ShippedRules {
  if (!model.rules)
    throw new InputError(
      `model ${model.version}: it was trained without a rules file, so there is nothing to compare with`,
    );
  return model.rules;
}

/** The report input of scored rows, with the feature chart from `x` (the explained rows, encoded). */
async function reportDataOf(model: LeadModel, rows: ScoredRows, x: Matrix, info: ReportRowsInfo): Promise<ReportData> {
  return buildReportData(rows, {
    provenance: {
      dataFingerprint: info.dataFingerprint,
      modelVersion: model.version,
      generatedAt: (info.now ?? new Date()).toISOString(),
      modelKind: model.manifest.model.kind,
      rulesName: model.rules!.name,
      rows: info.rows,
      ...(info.dataFile === undefined ? {} : { dataFile: info.dataFile }),
    },
    featureImportances: await featureWeights(model, x),
    featureUnit: 'points',
    tierCutoffs: tierCutoffs(model),
  });
}

/**
 * The rows explained for the feature chart, as indices into `rows` (or 0..n-1 when null):
 * every row up to MAX_EXPLAINED_ROWS, else a spread sample (every `step`th row).
 */
function explainedRows(n: number, rows: ArrayLike<number> | null): number[] {
  const step = Math.max(1, Math.ceil(n / MAX_EXPLAINED_ROWS));
  return Array.from({ length: Math.ceil(n / step) }, (_, i) => (rows ? rows[i * step]! : i * step));
}

/** Each feature's average effect in points on the 0-100 score, named in words (the config's labels). */
async function featureWeights(model: LeadModel, x: Matrix): Promise<FeatureWeight[]> {
  const contributions = await model.scorer.explain(x);
  const raw = await model.scorer.predictProba(x);
  const logits = Float64Array.from(raw, (p) => {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
    return Math.log(q / (1 - q));
  });
  const labels = (model.manifest.config as { labels?: Labels }).labels;
  const names = uniqueLabels(featureInfo(model.spec).map((f) => featureWords(f, labels)));
  return featurePoints(x, contributions, logits, names, (p) => (model.calibrator ? model.calibrator.apply(p) : p));
}

/** Readable feature labels; a repeated label gets a number so the chart keeps one bar each. */
function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const k = (seen.get(l) ?? 0) + 1;
    seen.set(l, k);
    return k === 1 ? l : `${l} (${k})`;
  });
}

/**
 * Loads a model directory and builds its report input on every row of `dataFile`, or on
 * the training data's held-out rows (the stored split re-run with the stored seed).
 * Streamed: the leads are scored a chunk at a time, keeping a few numbers per lead; a second
 * pass encodes the rows the feature chart explains (at most MAX_EXPLAINED_ROWS).
 */
export async function reportDataFromModelDir(
  modelDir: string,
  dataFile: string | undefined,
  options: { skipBadRows?: boolean; chunkRows?: number; phases?: Phases; now?: Date } = {},
): Promise<{ data: ReportData; skipped: BadRow[]; warnings: string[] }> {
  const m = await loadModelDir(modelDir);
  try {
    const { model } = m;
    const engine = shippedRules(model).engine;
    const opened = { data: dataFile, skipBadRows: options.skipBadRows, chunkRows: options.chunkRows };
    const chunks = await LabelledChunks.open(m, { ...opened, phases: options.phases });
    let scores: LabelledScores;
    let x: Matrix;
    let rows: ArrayLike<number> | null;
    let description: string;
    try {
      scores = await scoreChunks(m, chunks, { ...opened, phases: options.phases });
      ({ rows, description } = evaluatedRows(m, scores, dataFile));
      options.phases?.phase('explaining');
      x = await encodeRows(m, chunks, explainedRows(rows ? rows.length : scores.rows, rows), scores.rowNumbers);
    } finally {
      chunks.close();
    }
    const pick = <T>(a: ArrayLike<number>, f: (v: number) => T): T[] =>
      rows ? Array.from(rows, (r) => f(a[r]!)) : Array.from(a, f);
    const report = await reportDataOf(
      model,
      {
        labels: pick(scores.labels, (v) => v),
        probabilities: pick(scores.probabilities, (v) => v),
        ruleScores: pick(scores.ruleScores!, (v) => v),
        modelTiers: pick(scores.modelTiers, (t) => model.tierNames[t]!),
        modelTierOrder: model.tierNames,
        ruleTiers: pick(scores.ruleTiers!, (t) => engine.tierNames[t]!),
        ruleTierOrder: engine.tierNames,
      },
      x,
      {
        rows: description,
        dataFingerprint: dataFile
          ? `sha256:${(await fileFingerprint(dataFile)).sha256}`
          : `sha256:${model.manifest.fingerprint}`,
        ...(dataFile === undefined ? {} : { dataFile }),
        ...(options.now === undefined ? {} : { now: options.now }),
      },
    );
    return { data: report, skipped: scores.skipped, warnings: scores.warnings };
  } finally {
    m.model.dispose();
  }
}

/**
 * The rows at `positions` (indices into the scored rows, whose file row numbers are
 * `rowNumbers`) encoded as the model's features, in the order of `positions`: a second pass
 * over the leads that converts only those rows.
 */
async function encodeRows(
  m: LoadedModel,
  chunks: LabelledChunks,
  positions: readonly number[],
  rowNumbers: ArrayLike<number>,
): Promise<Matrix> {
  const cols = featureCount(m.model.spec);
  const x: Matrix = { rows: positions.length, cols, data: new Float32Array(positions.length * cols) };
  const slot = new Map(positions.map((p, i) => [rowNumbers[p]!, i]));
  for await (const chunk of chunks.chunks(new Set(slot.keys()), { rules: false })) {
    const encoded = encodeFrame(m.model.spec, chunk.frame, { asOf: chunk.asOf });
    chunk.frame.rowNumbers.forEach((row, r) => {
      const i = slot.get(row);
      if (i !== undefined) x.data.set(encoded.data.subarray(r * cols, (r + 1) * cols), i * cols);
    });
  }
  return x;
}
