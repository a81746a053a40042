import { existsSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { encodeFrame } from '../../features/encode-features.ts';
import { InputError } from '../../features/errors.ts';
import type { LeadModel } from '../../models/lead-model.ts';
import { aggregateColumns } from '../../features/event-aggregates.ts';
import { reasonLayout } from '../../models/reasons.ts';
import { parseRulesFile } from '../../models/rules/parse-rules-file.ts';
import { scorerFromArtifact } from '../../models/scorer-registry.ts';
import type { Scorer } from '../../models/scorer.ts';
import { rocAuc, splitFrame } from '../../training/index.ts';
import { refitEffects } from '../../training/scorecard-refit.ts';
import { scorecardFeature, type FeatureEffects, type ScorecardFeature } from '../../training/scorecard.ts';
import { loadModelDir } from '../evaluate/load-model.ts';
import type { BadRow } from '../io/load-leads.ts';
import { writeTable } from '../io/write-table.ts';
import { takeData } from '../train/prepare-data.ts';
import { writeReportFile } from '../report/report-files.ts';
import { prepareData, type PreparedData } from '../train/prepare-data.ts';
import { trainedLeadsFile } from '../train/model-version.ts';
import { ruleTotals } from './rule-columns.ts';
import { pointsSheet, type EventCount, type SheetLine } from './points-sheet.ts';
import { ruleInput } from './run-tune.ts';
import { thresholdsForShares } from './tune-rules.ts';

/** Training rows explained for the bins and their points: a spread sample keeps SHAP quick on large files. */
const MAX_EXPLAINED_ROWS = 20_000;

export interface FromModelOptions {
  /** Where the sheet (YAML rules file) goes; the CSV goes beside it. */
  out: string;
  /** CSV path. Default: `out` with `.csv`. */
  csv?: string;
  /** Points of the best possible lead. Default 100. */
  points?: number;
  /** Most bins per numeric attribute. Default 6. */
  bins?: number;
  /** Judge on every row of this file (default: the model's held-out rows). */
  data?: string;
  skipBadRows?: boolean;
}

export interface FromModel {
  out: string;
  csv: string;
  rules: number;
  lines: SheetLine[];
  tiers: { name: string; atLeast: number | null }[];
  /** Attributes the sheet leaves out (no points sheet can say them), with their share of the model's effect. */
  leftOut: { column: string; share: number }[];
  judged: { rows: number; label: string; aucModel: number; aucBinned: number; aucSheet: number; cost: number };
  skipped: BadRow[];
}

/**
 * `leadscore rules from-model`: a points sheet from a model. Bins are chosen on the
 * model's training rows, each bin worth the model's mean contribution there (TreeSHAP for
 * gradient boosting), scaled to `points` and rounded; tiers cut to the model's shares.
 * Judged against the model on its held-out rows (or `data`).
 */
export async function runFromModel(modelDir: string, options: FromModelOptions): Promise<FromModel> {
  const m = await loadModelDir(modelDir);
  const model = m.model;
  const explainer = await shapScorer(model);
  try {
    const { config } = m.loaded;
    const trained = trainedLeadsFile(model.manifest);
    const data = await prepareData(m.loaded, {
      data: trained && existsSync(trained) ? trained : undefined,
      skipBadRows: options.skipBadRows,
    });
    const split = splitFrame(data.frame, config.training.split, config.training.seed);
    const step = Math.max(1, Math.ceil(split.train.length / MAX_EXPLAINED_ROWS));
    const train = takeData(
      data,
      split.train.filter((_, k) => k % step === 0),
    );
    const x = encodeFrame(model.spec, train.frame, { asOf: train.asOf });
    const contributions = await explainer.explain(x);
    const binned = effects(model, train, contributions.data, x.cols, options.bins ?? 6);
    const { events, leftOut } = binned;
    let features = binned.features;
    if (leftOut.length > 0) {
      // Some of the model's effect cannot be said in rules: let the bins that can carry it.
      const raw = await explainer.predictProba(x);
      const logits = Float64Array.from(raw, (p) => Math.log(Math.max(1e-12, p) / Math.max(1e-12, 1 - p)));
      const columns = new Map(train.frame.columns.map((c) => [c.name, c.values]));
      features = refitEffects(
        features,
        features.map((f) => columns.get(f.column) ?? []),
        logits,
      );
    }

    const total = options.points ?? 100;
    const name = `points from model ${model.version}`;
    const tierNames = model.tierNames;
    const sheet = pointsSheet(features, { name, total, labels: config.labels, tierNames, events });
    const exact = pointsSheet(features, { name, total, labels: config.labels, tierNames, events, round: false });
    // Tiers cut where the model's tiers fall on the training rows.
    const modelTier = (await model.scoreFrame(train.frame, { asOf: train.asOf, rules: false })).tier;
    const shares = tierNames.map((t) => modelTier.filter((x) => x === t).length / Math.max(1, modelTier.length));
    const trainInput = ruleInput(train);
    for (const s of [sheet, exact]) {
      const cuts = thresholdsForShares((await ruleTotals(s.rules, trainInput)).total, shares);
      s.rules.tiers = tierNames.map((t, k) => (k < cuts.length ? { name: t, atLeast: cuts[k]! } : { name: t }));
    }

    const judge = options.data
      ? await prepareData(m.loaded, { data: options.data, skipBadRows: options.skipBadRows })
      : takeData(data, split.test.length ? split.test : split.validation);
    const label = options.data
      ? `every row of ${path.basename(options.data)}`
      : `${split.test.length ? 'test' : 'validation'} rows of ${path.basename(data.frame.source)}`;
    const y = judge.frame.label;
    if (!y) throw new InputError(`${judge.frame.source}: no label to judge the sheet on`);
    const p = (await model.scoreFrame(judge.frame, { asOf: judge.asOf, rules: false })).probability;
    const aucModel = rocAuc(y, p);
    const judgeInput = ruleInput(judge);
    const aucBinned = rocAuc(y, (await ruleTotals(exact.rules, judgeInput)).total);
    const aucSheet = rocAuc(y, (await ruleTotals(sheet.rules, judgeInput)).total);

    const yaml = sheetText(sheet.rules, model, total);
    parseRulesFile(YAML.parse(yaml), options.out);
    await writeReportFile(options.out, yaml);
    const csv = options.csv ?? options.out.replace(/\.(ya?ml|json)$/i, '') + '.csv';
    await writeTable(
      csv,
      ['rule', 'column', 'condition', 'points'],
      sheet.lines.map((l) => [l.rule, l.column, l.condition, l.points]),
    );
    return {
      out: path.resolve(options.out),
      csv: path.resolve(csv),
      rules: sheet.rules.rules.length,
      lines: sheet.lines,
      tiers: sheet.rules.tiers.map((t) => ({ name: t.name, atLeast: t.atLeast ?? null })),
      leftOut,
      judged: { rows: judge.frame.rowCount, label, aucModel, aucBinned, aucSheet, cost: aucModel - aucSheet },
      skipped: data.skipped,
    };
  } finally {
    if (explainer !== model.scorer) explainer.dispose();
    model.dispose();
  }
}

/** Gradient boosting explains with exact TreeSHAP here, whatever the model reasons with. */
async function shapScorer(model: LeadModel): Promise<Scorer> {
  if (model.scorer.kind !== 'gbdt') return model.scorer;
  const artifact = await model.scorer.toArtifact();
  const options = (artifact.meta.options ?? {}) as Record<string, unknown>;
  return scorerFromArtifact({ ...artifact, meta: { ...artifact.meta, options: { ...options, explanation: 'shap' } } });
}

/** Each attribute's raw values and summed contributions on the explained rows; what no sheet can hold is left out. */
function effects(model: LeadModel, train: PreparedData, contributions: ArrayLike<number>, cols: number, bins: number) {
  const layout = reasonLayout(model.spec);
  const columns = new Map(train.frame.columns.map((c) => [c.name, c]));
  const rows = train.frame.rowCount;
  const features: ScorecardFeature[] = [];
  const leftOut: { column: string; size: number }[] = [];
  const aggregates = new Map((model.spec.events ? aggregateColumns(model.spec.events) : []).map((a) => [a.name, a]));
  const events = new Map<string, EventCount>();
  let all = 0;
  layout.sources.forEach((s, k) => {
    const sums = new Float64Array(rows);
    let size = 0;
    for (let r = 0; r < rows; r++) {
      let c = 0;
      for (let j = s.start; j < s.end; j++) c += contributions[r * cols + j]!;
      sums[r] = c;
      size += Math.abs(c);
    }
    all += size;
    const encoder = model.spec.encoders[k]!;
    const column = columns.get(s.source);
    const aggregate = aggregates.get(s.source);
    const m = aggregate?.measure;
    const count = (m?.kind === 'count' || m?.kind === 'days_since_last') && m.type !== undefined ? m : null;
    if (count && column) {
      const windowDays = count.kind === 'count' ? count.windowDays : undefined;
      events.set(s.source, {
        kind: count.kind === 'count' ? 'count' : 'recency',
        types: [count.type!],
        ...(windowDays === undefined ? {} : { withinDays: windowDays }),
        label: aggregate!.label,
      });
    } else if (
      !column ||
      aggregate ||
      !(encoder.kind === 'numeric' || encoder.kind === 'categorical' || encoder.kind === 'boolean')
    ) {
      leftOut.push({ column: s.source, size });
      return;
    }
    const f: FeatureEffects = {
      column: s.source,
      kind: count ? 'numeric' : (encoder.kind as FeatureEffects['kind']),
      values: column.values as FeatureEffects['values'],
      contributions: sums,
      ...(encoder.kind === 'categorical' && !count ? { vocabulary: encoder.vocabulary } : {}),
    };
    features.push(scorecardFeature(f, bins));
  });
  return {
    features,
    events,
    leftOut: leftOut.filter((l) => l.size > 0).map((l) => ({ column: l.column, share: all > 0 ? l.size / all : 0 })),
  };
}

function sheetText(rules: ReturnType<typeof pointsSheet>['rules'], model: LeadModel, total: number): string {
  const doc = new YAML.Document(rules);
  doc.commentBefore = [
    ` A points sheet made by \`leadscore rules from-model\` from model ${model.version} (${model.manifest.model.kind}).`,
    ` Each attribute's bins are worth the model's average effect there, scaled so the best lead scores ${total};`,
    ' tiers are cut where the model puts the same shares of its training leads.',
  ].join('\n');
  return doc.toString();
}
