import { InputError } from '../../features/errors.ts';
import type { BackendChoice } from '../../models/tf-backend.ts';
import {
  crossValidationFolds,
  rollingOriginFolds,
  spread,
  type Fold,
  type ModelRulesComparison,
  type Spread,
} from '../../training/index.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import type { BadRow } from '../io/load-leads.ts';
import { compareOnRows, fitLeadModel } from '../train/fit-lead-model.ts';
import { prepareData, takeData } from '../train/prepare-data.ts';
import type { Phases } from '../io/phases.ts';

import { rowTimes, timeRange } from './fold-data.ts';

export interface BacktestOptions {
  /**
   * `rolling-origin`: rows ordered by time, each fold tests the window after its cutoff.
   * `k-fold`: stratified, seeded cross-validation (the config's seed), each row tested once.
   * Default rolling-origin.
   */
  scheme?: 'rolling-origin' | 'k-fold';
  /** Test windows (rolling-origin; default 5) or folds (k-fold; default the config's split.folds). */
  folds?: number;
  /** Share of the oldest rows in the first training window, in (0, 1). Default 0.5. */
  initialTrainFraction?: number;
  /** `expanding` trains on everything before each window; `sliding` on the latest initial-size window. Default expanding. */
  window?: 'expanding' | 'sliding';
  data?: string;
  skipBadRows?: boolean;
  backend?: BackendChoice;
  /** Called when a fold starts, for progress output. */
  onFold?: (fold: number, folds: number) => void;
  /** Told the phases: reading, features, then each fold. */
  phases?: Phases;
}

/** Tier conversion in one test window. */
export interface TierRate {
  tier: string;
  leads: number;
  conversionRate: number | null;
}

/** One side (model or rules) of a fold. */
export interface FoldSide {
  auc: number;
  liftTop10: number;
  tiers: TierRate[];
}

export interface BacktestFold {
  fold: number;
  trainRows: number;
  testRows: number;
  /** Time span of the rows (rolling-origin); null for k-fold, whose rows span the whole data. */
  train: { from: string; to: string } | null;
  test: { from: string; to: string } | null;
  positiveRate: number;
  model: FoldSide;
  rules: FoldSide | null;
}

export interface Backtest {
  dataset: string;
  source: string;
  scheme: 'rolling-origin' | 'k-fold';
  window: 'expanding' | 'sliding';
  /** What orders the rows: each lead's asOf, a time column, or file order. */
  orderedBy: string;
  folds: BacktestFold[];
  spread: { model: { auc: Spread; liftTop10: Spread }; rules: { auc: Spread; liftTop10: Spread } | null };
  /** Folds where the model's AUC beat the rules'. */
  modelWins: number;
  skipped: BadRow[];
  /** What the leads were read with that is worth telling (see PreparedData.warnings). */
  warnings: string[];
}

/**
 * Rolling-origin backtest (or k-fold cross-validation, with `scheme`): rows ordered by time, each fold trains a model on the rows
 * before its cutoff (as `train` would: the config's split for validation, no test rows)
 * and scores the next window with the model and the rules. The spread over folds says
 * how much one split's numbers can be trusted.
 */
export async function runBacktest(loaded: LoadedConfig, options: BacktestOptions = {}): Promise<Backtest> {
  const { phases } = options;
  const data = await prepareData(loaded, { data: options.data, skipBadRows: options.skipBadRows, phases });
  const t = loaded.config.training;
  const { times, kind, orderedBy } = rowTimes(data, t.split.timeColumn);
  const window = options.window ?? 'expanding';
  const scheme = options.scheme ?? 'rolling-origin';
  const folds: Fold[] =
    scheme === 'k-fold'
      ? crossValidationFolds(data.frame, { ...t.split, folds: options.folds ?? t.split.folds }, t.seed)
      : rollingOriginFolds(times, {
          folds: options.folds ?? 5,
          initialTrainFraction: options.initialTrainFraction,
          window,
          name: data.frame.source,
        });
  const range = (rows: ArrayLike<number>) => (scheme === 'k-fold' ? null : timeRange(times, kind, rows));
  // Validation rows come out of each training window; the test window is the fold's own.
  const foldConfig: LoadedConfig = {
    ...loaded,
    config: { ...loaded.config, training: { ...t, split: { ...t.split, testFraction: 0 } } },
  };
  const out: BacktestFold[] = [];
  for (const [j, fold] of folds.entries()) {
    options.onFold?.(j + 1, folds.length);
    phases?.phase(`fold ${j + 1} of ${folds.length}`);
    const trainData = takeData(data, fold.train);
    let fitted;
    try {
      fitted = await fitLeadModel(foldConfig, trainData, {
        backend: options.backend,
        version: `backtest-fold-${j + 1}`,
        createdAt: new Date(0).toISOString(),
        inputs: [],
        fingerprint: '',
      });
    } catch (err) {
      if (err instanceof InputError)
        throw new InputError(
          `${scheme === 'k-fold' ? 'cross-validation' : 'backtest'} fold ${j + 1} (${fold.train.length} training rows): ${err.message}`,
        );
      throw err;
    }
    try {
      const c = await compareOnRows(fitted.model, data, fold.test, `fold ${j + 1} test window`, t);
      out.push({
        fold: j + 1,
        trainRows: fold.train.length,
        testRows: fold.test.length,
        train: range(fold.train),
        test: range(fold.test),
        positiveRate: c.positiveRate,
        model: side(c.model, c.tiers.model),
        rules: c.rules ? side(c.rules, c.tiers.rules) : null,
      });
    } finally {
      fitted.model.dispose();
    }
  }
  const rules = out.every((f) => f.rules !== null) ? out.map((f) => f.rules!) : null;
  return {
    dataset: loaded.config.name,
    source: data.frame.source,
    scheme,
    window,
    orderedBy,
    folds: out,
    spread: {
      model: { auc: spread(out.map((f) => f.model.auc)), liftTop10: spread(out.map((f) => f.model.liftTop10)) },
      rules: rules ? { auc: spread(rules.map((r) => r.auc)), liftTop10: spread(rules.map((r) => r.liftTop10)) } : null,
    },
    modelWins: out.filter((f) => f.rules !== null && f.model.auc > f.rules.auc).length,
    skipped: data.skipped,
    warnings: data.warnings,
  };
}

function side(m: { auc: number; liftTop10: number }, tiers: ModelRulesComparison['tiers']['model']): FoldSide {
  return {
    auc: m.auc,
    liftTop10: m.liftTop10,
    tiers: tiers.map((x) => ({ tier: x.tier, leads: x.leads, conversionRate: x.conversionRate })),
  };
}
