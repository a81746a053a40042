import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { syntheticFunnel } from './synthetic-funnel.ts';

/** Spawned CLI runs and model fits: generous, since a loaded two-core machine is slow. */
const LONG = 300_000;

interface Side {
  auc: number;
  liftTop10: number;
  tiers: { tier: string; leads: number }[];
}
interface CrossValidationJson {
  scheme: string;
  folds: {
    fold: number;
    trainRows: number;
    testRows: number;
    train: unknown;
    test: unknown;
    positiveRate: number;
    model: Side;
    rules: Side | null;
  }[];
  spread: { model: { auc: { mean: number; min: number; max: number } }; rules: { auc: { mean: number } } | null };
  modelWins: number;
}

describe('leadscore cross-validate', () => {
  const { dir } = tempDir();
  const config = syntheticFunnel(dir, 4000);

  it(
    'tests every row once over stratified folds and reports model and rules per fold',
    () => {
      const r = runCli(['cross-validate', '--config', config, '--folds', '4', '--backend', 'cpu', '--json']);
      expect(r.stderr).toBe('');
      const cv = JSON.parse(r.stdout) as CrossValidationJson;
      console.log(
        `synthetic funnel 4-fold AUCs: model ${cv.folds.map((f) => f.model.auc.toFixed(3)).join(', ')}; rules ${cv.folds.map((f) => f.rules?.auc.toFixed(3)).join(', ')}`,
      );
      expect(cv.scheme).toBe('k-fold');
      expect(cv.folds.map((f) => f.fold)).toEqual([1, 2, 3, 4]);
      const rows = cv.folds[0]!.trainRows + cv.folds[0]!.testRows;
      const tested = cv.folds.reduce((s, f) => s + f.testRows, 0);
      expect(tested).toBe(rows);
      const rates = cv.folds.map((f) => f.positiveRate);
      for (const f of cv.folds) {
        expect(f.trainRows + f.testRows).toBe(rows);
        expect(f.train).toBeNull();
        expect(f.model.auc).toBeGreaterThan(0.55);
        expect(f.model.tiers.reduce((s, t) => s + t.leads, 0)).toBe(f.testRows);
      }
      // Stratified: every fold converts at nearly the same rate.
      expect(Math.max(...rates) - Math.min(...rates)).toBeLessThan(0.01);
      expect(cv.spread.model.auc.min).toBe(Math.min(...cv.folds.map((f) => f.model.auc)));
    },
    LONG,
  );

  it(
    'prints a table, and names a bad --folds',
    () => {
      const r = runCli(['cross-validate', '--config', config, '--folds', '2', '--backend', 'cpu']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^cross-validation of synthetic-funnel: 2 stratified folds on /);
      expect(r.stdout).toMatch(/model AUC/);
      const bad = runCli(['cross-validate', '--config', config, '--folds', '1']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^leadscore: --folds: /);
    },
    LONG,
  );
});
