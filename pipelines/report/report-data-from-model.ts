import path from 'node:path';
import { encodeFrame } from '../../features/encode-features.ts';
import { InputError } from '../../features/errors.ts';
import { featureInfo } from '../../features/feature-spec.ts';
import { takeRows } from '../../features/frame.ts';
import { takeMatrixRows } from '../../features/matrix.ts';
import type { LeadModel } from '../../models/lead-model.ts';
import { splitFrame } from '../../training/index.ts';
import { loadModelDir } from '../evaluate/load-model.ts';
import { fileFingerprint } from '../io/artifact-dir.ts';
import type { BadRow } from '../io/load-leads.ts';
import { prepareData, type PreparedData } from '../train/prepare-data.ts';
import type { Labels } from '../config/labels.ts';
import { buildReportData } from './build-report-data.ts';
import { featurePoints, featureWords, tierCutoffs } from './report-extras.ts';
import type { FeatureWeight, ReportData } from './report-data.ts';
import { ruleTallyFor } from '../rules/batch-rule-tally.ts';

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
): Promise<ReportData> {
  const frame = rows ? takeRows(data.frame, rows) : data.frame;
  const asOf = data.asOf && rows ? Float64Array.from(rows, (r) => data.asOf![r]!) : data.asOf;
  if (!frame.label) throw new InputError(`${frame.source}: no label to report against`);
  if (!model.rules)
    throw new InputError(
      `model ${model.version}: it was trained without a rules file, so there is nothing to compare with`,
    );
  const eventsByLead = await ruleTallyFor(data.eventsConfig, model.rules.engine, frame.ids, asOf);
  const scored = await model.scoreFrame(frame, { asOf, eventsByLead });
  return buildReportData(
    {
      labels: frame.label,
      probabilities: scored.probability,
      ruleScores: scored.ruleScore!,
      modelTiers: scored.tier,
      modelTierOrder: model.tierNames,
      ruleTiers: scored.ruleTier!,
      ruleTierOrder: model.rules.engine.tierNames,
    },
    {
      provenance: {
        dataFingerprint: info.dataFingerprint,
        modelVersion: model.version,
        generatedAt: (info.now ?? new Date()).toISOString(),
        modelKind: model.manifest.model.kind,
        rulesName: model.rules.name,
        rows: info.rows,
        ...(info.dataFile === undefined ? {} : { dataFile: info.dataFile }),
      },
      featureImportances: await featureWeights(model, frame, asOf),
      featureUnit: 'points',
      tierCutoffs: tierCutoffs(model),
    },
  );
}

/** Each feature's average effect in points on the 0-100 score, named in words (the config's labels). */
async function featureWeights(
  model: LeadModel,
  frame: PreparedData['frame'],
  asOf: ArrayLike<number> | undefined,
): Promise<FeatureWeight[]> {
  const all = encodeFrame(model.spec, frame, { asOf });
  const step = Math.max(1, Math.ceil(all.rows / MAX_EXPLAINED_ROWS));
  const x =
    step === 1
      ? all
      : takeMatrixRows(
          all,
          Array.from({ length: Math.ceil(all.rows / step) }, (_, i) => i * step),
        );
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
 */
export async function reportDataFromModelDir(
  modelDir: string,
  dataFile: string | undefined,
  options: { skipBadRows?: boolean } = {},
): Promise<{ data: ReportData; skipped: BadRow[] }> {
  const m = await loadModelDir(modelDir);
  try {
    const { config } = m.loaded;
    const data = await prepareData(m.loaded, { data: dataFile, skipBadRows: options.skipBadRows });
    let rows: ArrayLike<number> | null = null;
    let which = 'all';
    if (!dataFile) {
      const split = splitFrame(data.frame, config.training.split, config.training.seed);
      which = split.test.length > 0 ? 'test' : 'validation';
      rows = which === 'test' ? split.test : split.validation;
    }
    const report = await reportDataFromScoring(m.model, data, rows, {
      rows: `${which} rows of ${path.basename(data.frame.source)}`,
      dataFingerprint: dataFile
        ? `sha256:${(await fileFingerprint(dataFile)).sha256}`
        : `sha256:${m.model.manifest.fingerprint}`,
      ...(dataFile === undefined ? {} : { dataFile }),
    });
    return { data: report, skipped: data.skipped };
  } finally {
    m.model.dispose();
  }
}
