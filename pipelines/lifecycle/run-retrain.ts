import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import type { BackendChoice } from '../../models/tf-backend.ts';
import { timeSplit, type ModelRulesComparison } from '../../training/index.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { loadModelDir } from '../evaluate/load-model.ts';
import { writeArtifactDir } from '../io/artifact-dir.ts';
import type { BadRow } from '../io/load-leads.ts';
import { ModelRegistry, defaultRegistryDir, type SwitchHook } from '../registry/model-registry.ts';
import type { HistoryEntry } from '../registry/production-record.ts';
import { renderReport } from '../report/render-report.ts';
import { reportDataFromScoring } from '../report/report-data-from-model.ts';
import { compareOnRows, fitLeadModel } from '../train/fit-lead-model.ts';
import { versionInputs } from '../train/model-version.ts';
import { prepareData, takeData } from '../train/prepare-data.ts';
import type { Phases } from '../io/phases.ts';

import { driftReferenceFiles } from './drift-reference-file.ts';
import { promotionDecision, type PromotionDecision } from './promotion-evidence.ts';
import { ruleTallyFor } from '../rules/batch-rule-tally.ts';
import { rowTimes, timeRange } from './fold-data.ts';

export interface RetrainOptions {
  /** Registry the challenger is written to and the champion read from. Default data/models. */
  registry?: string;
  /** Train only on leads whose time (asOf) is at or after this (epoch ms). Default: all older leads. */
  since?: number;
  /** Share of the newest leads held out to judge champion, challenger and rules. Default: training.split.testFraction, or 0.2 when that is 0. */
  holdoutFraction?: number;
  /** Promote the challenger when the evidence allows (see promotionDecision). Default false. */
  promote?: boolean;
  /** With promote: promote even when the evidence does not allow it. Default false. */
  force?: boolean;
  /** Runs before the production pointer changes (Redis publishing). */
  beforeSwitch?: SwitchHook;
  backend?: BackendChoice;
  skipBadRows?: boolean;
  /** The clock. Default now. */
  now?: () => Date;
  /** Told the phases: reading, features, fitting, calibrating, evaluating, writing. */
  phases?: Phases;
}

export interface Retrain {
  dataset: string;
  challenger: { version: string; dir: string; trainRows: number; train: { from: string; to: string } };
  champion: { version: string } | null;
  heldOut: { rows: number; from: string; to: string; label: string };
  /** Challenger and rules on the held-out leads. */
  comparison: ModelRulesComparison;
  /** The champion on the same leads (null without a production model). */
  championComparison: ModelRulesComparison | null;
  /** `challenger` when its AUC is higher than the champion's (or there is no champion). */
  winner: 'challenger' | 'champion';
  promotion: HistoryEntry | null;
  /** Whether the evidence allows promotion, and why not. */
  decision: PromotionDecision;
  /** The reasons a --force promotion overrode (empty otherwise). */
  forcedOver: string[];
  /** The HTML report of the challenger on the held-out leads (null without a rules file). */
  report: string | null;
  skipped: BadRow[];
  /** What the leads were read with that is worth telling (see PreparedData.warnings). */
  warnings: string[];
}

/**
 * Retraining on closed deals: builds the point-in-time set (features as of each lead's
 * asOf, label within the horizon), holds out the newest leads, trains a challenger on the
 * older ones (optionally only those since a date), scores champion, challenger and rules
 * on the same held-out leads, writes the challenger into the registry with its report, and
 * promotes it only when asked and when it wins.
 */
export async function runRetrain(loaded: LoadedConfig, options: RetrainOptions = {}): Promise<Retrain> {
  const { config } = loaded;
  const t = config.training;
  const registry = new ModelRegistry(options.registry ?? defaultRegistryDir);
  const { phases } = options;
  const data = await prepareData(loaded, { skipBadRows: options.skipBadRows, phases });
  const { times, kind } = rowTimes(data, t.split.timeColumn);
  const share = options.holdoutFraction ?? (t.split.testFraction > 0 ? t.split.testFraction : 0.2);
  const parts = timeSplit(times, { validation: 0, test: share }, { name: data.frame.source });
  const since = options.since;
  const trainRows = since === undefined ? parts.train : parts.train.filter((r) => (times[r] ?? -Infinity) >= since);
  if (trainRows.length === 0)
    throw new InputError(
      `--since: no lead older than the held-out ones has a time on or after ${new Date(since!).toISOString()}`,
    );
  const held = parts.test;
  const heldRange = timeRange(times, kind, held);
  const heldLabel = `newest ${held.length} leads (${heldRange.from} - ${heldRange.to}) of ${path.basename(data.frame.source)}`;

  const now = (options.now ?? (() => new Date()))();
  const { inputs, fingerprint, version } = await versionInputs(config.name, data, now);
  // The held-out leads are the test set; validation rows come out of the training leads.
  const trainConfig: LoadedConfig = {
    ...loaded,
    config: { ...config, training: { ...t, split: { ...t.split, testFraction: 0 } } },
  };
  const trainData = takeData(data, trainRows);
  const fitted = await fitLeadModel(trainConfig, trainData, {
    backend: options.backend,
    version,
    createdAt: now.toISOString(),
    inputs,
    fingerprint,
    phases,
  });
  try {
    const comparison = await compareOnRows(fitted.model, data, held, heldLabel, t);
    fitted.model.manifest.metrics = { evaluatedOn: 'newest', ...comparison };
    // This dataset's champion only: a registry may hold other datasets' production models.
    const production = await registry.production(config.name);
    const champion = production.version
      ? await scoreChampion(registry, production.version, data, held, heldLabel, t)
      : null;
    const championComparison = champion?.comparison ?? null;
    const winner =
      !championComparison || comparison.model.auc > championComparison.model.auc ? 'challenger' : 'champion';
    const heldData = takeData(data, held);
    const eventsByLead = await ruleTallyFor(
      heldData.eventsConfig,
      fitted.model.rules?.engine,
      heldData.frame.ids,
      heldData.asOf,
    );
    const scored = await fitted.model.scoreFrame(heldData.frame, { asOf: heldData.asOf, eventsByLead });
    const decision = promotionDecision({
      labels: heldData.frame.label!,
      challenger: scored.probability,
      champion: champion && production.version ? { version: production.version, scores: champion.probabilities } : null,
      rules: scored.ruleScore,
      resamples: t.evaluation.bootstrapResamples,
      seed: t.seed,
    });

    const extra: Record<string, Uint8Array> = await driftReferenceFiles(fitted, trainData);
    // Why this version exists and how it fared, kept with it.
    const record = {
      heldOut: heldLabel,
      since: since === undefined ? null : new Date(since).toISOString(),
      trainRows: trainRows.length,
      champion: production.version,
      auc: {
        challenger: comparison.model.auc,
        champion: championComparison?.model.auc ?? null,
        rules: comparison.rules?.auc ?? null,
      },
      winner,
      promotion: { allowed: decision.promote, reasons: decision.reasons, versusChampion: decision.versusChampion },
    };
    extra['retrain.json'] = new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`);
    let report: string | null = null;
    phases?.phase('writing');
    if (fitted.model.rules) {
      const reportData = await reportDataFromScoring(fitted.model, data, held, {
        rows: heldLabel,
        dataFingerprint: `sha256:${fingerprint}`,
        now,
      });
      extra['report.html'] = new TextEncoder().encode(await renderReport(reportData));
    }
    const dir = path.join(registry.dir, version);
    await writeArtifactDir(dir, await fitted.model.toFiles(extra));
    if (fitted.model.rules) report = path.join(dir, 'report.html');

    let promotion: HistoryEntry | null = null;
    const forcedOver = options.promote && options.force && !decision.promote ? decision.reasons : [];
    if (options.promote && (decision.promote || options.force)) {
      const aucs = new Map([
        [version, comparison.model.auc],
        [production.version ?? '', championComparison?.model.auc ?? 0],
      ]);
      const rescore = { data: heldLabel, auc: async (v: { version: string }) => aucs.get(v.version) ?? Number.NaN };
      promotion = (await registry.promote(version, { rescore, force: true, beforeSwitch: options.beforeSwitch, now }))
        .entry;
    }
    return {
      dataset: config.name,
      challenger: { version, dir, trainRows: trainRows.length, train: timeRange(times, kind, trainRows) },
      champion: production.version ? { version: production.version } : null,
      heldOut: { rows: held.length, ...heldRange, label: heldLabel },
      comparison,
      championComparison,
      winner,
      promotion,
      decision,
      forcedOver,
      report,
      skipped: data.skipped,
      warnings: data.warnings,
    };
  } finally {
    fitted.model.dispose();
  }
}

async function scoreChampion(
  registry: ModelRegistry,
  version: string,
  data: Awaited<ReturnType<typeof prepareData>>,
  held: ArrayLike<number>,
  label: string,
  t: LoadedConfig['config']['training'],
): Promise<{ comparison: ModelRulesComparison; probabilities: Float32Array }> {
  const summary = await registry.show(version);
  const champion = await loadModelDir(summary.dir);
  try {
    const comparison = await compareOnRows(champion.model, data, held, label, t);
    const rows = takeData(data, held);
    const { probability } = await champion.model.scoreFrame(rows.frame, { asOf: rows.asOf, rules: false });
    return { comparison, probabilities: probability };
  } catch (err) {
    if (err instanceof InputError)
      throw new InputError(`champion ${version}: cannot score the held-out leads: ${err.message}`);
    throw err;
  } finally {
    champion.model.dispose();
  }
}
