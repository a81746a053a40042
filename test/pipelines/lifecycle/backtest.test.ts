import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { syntheticFunnel } from './synthetic-funnel.ts';

/** Spawned CLI runs and model fits: generous, since a loaded two-core machine is slow. */
const LONG = 300_000;

interface Side {
  auc: number;
  liftTop10: number;
  tiers: { tier: string; leads: number; conversionRate: number | null }[];
}
interface BacktestJson {
  orderedBy: string;
  folds: {
    fold: number;
    trainRows: number;
    testRows: number;
    train: { to: string };
    test: { from: string; to: string };
    model: Side;
    rules: Side | null;
  }[];
  spread: {
    model: { auc: { mean: number; sd: number; min: number; max: number } };
    rules: { auc: { mean: number } } | null;
  };
  modelWins: number;
}

describe('leadscore backtest on the synthetic funnel', () => {
  it(
    'trains before each cutoff, tests on the next window, and reports every fold for model and rules',
    () => {
      const { dir } = tempDir();
      const config = syntheticFunnel(dir, 6000);
      const r = runCli(['backtest', '--config', config, '--folds', '3', '--backend', 'cpu', '--json']);
      expect(r.stderr).toBe('');
      const b = JSON.parse(r.stdout) as BacktestJson;
      // The figures the acceptance asks for, in the test log.
      console.log(
        `synthetic funnel backtest AUCs: model ${b.folds.map((f) => f.model.auc.toFixed(3)).join(', ')}; rules ${b.folds.map((f) => f.rules?.auc.toFixed(3)).join(', ')}`,
      );
      expect(b.orderedBy).toBe('asOf');
      expect(b.folds.map((f) => f.fold)).toEqual([1, 2, 3]);
      for (const [i, f] of b.folds.entries()) {
        // Expanding window: each fold trains on everything its predecessor saw plus that test window.
        if (i > 0) expect(f.trainRows).toBe(b.folds[i - 1]!.trainRows + b.folds[i - 1]!.testRows);
        expect(f.train.to <= f.test.from).toBe(true);
        // The synthetic propensity is learnable: every window ranks well above chance.
        expect(f.model.auc).toBeGreaterThan(0.55);
        expect(f.rules!.auc).toBeGreaterThan(0.55);
        expect(f.model.tiers.map((t) => t.tier)).toEqual(['hot', 'warm', 'cold']);
        expect(f.model.tiers.reduce((s, t) => s + t.leads, 0)).toBe(f.testRows);
      }
      const aucs = b.folds.map((f) => f.model.auc);
      expect(b.spread.model.auc.min).toBe(Math.min(...aucs));
      expect(b.spread.model.auc.max).toBe(Math.max(...aucs));
      expect(b.spread.model.auc.mean).toBeCloseTo(aucs.reduce((s, x) => s + x, 0) / 3, 12);
      expect(b.modelWins).toBe(b.folds.filter((f) => f.model.auc > f.rules!.auc).length);
    },
    LONG,
  );

  it(
    'says which fold cannot be trained and why',
    () => {
      const { dir } = tempDir();
      const config = syntheticFunnel(dir, 1500);
      const r = runCli(['backtest', '--config', config, '--folds', '3', '--backend', 'cpu']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\nleadscore: backtest fold 1 \(750 training rows\): .*not enough data to train/);
    },
    LONG,
  );
});
