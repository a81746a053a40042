import { describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { compareModelToRules } from '../../training/compare.ts';
import { ModelRulesComparison } from '../../training/comparison.ts';
import { formatComparison, verdict } from '../../training/format-comparison.ts';
import type { TierThresholds } from '../../training/tiers.ts';

// Eight leads: the model ranks all converters first; the rules tie a lot.
const labels = [1, 1, 1, 0, 0, 0, 0, 0];
const probabilities = [0.9, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05];
const ruleScores = [20, 10, 0, 20, 10, 0, 0, 0];
const ruleTiers = ['A', 'B', 'C', 'A', 'B', 'C', 'C', 'C'];
const modelTiers: TierThresholds = { policy: 'capacity', names: ['hot', 'warm', 'cold'], thresholds: [0.7, 0.35] };

const input = {
  source: 'test rows of leads.csv',
  labels,
  probabilities,
  modelTiers,
  rules: { scores: ruleScores, tiers: ruleTiers, tierOrder: ['A', 'B', 'C'] },
};

describe('compareModelToRules', () => {
  const result = compareModelToRules(input, { resamples: 200, seed: 1 });

  it('computes rank metrics for both and probability metrics for the model only', () => {
    expect(result.rows).toBe(8);
    expect(result.positiveRate).toBe(3 / 8);
    expect(result.model.auc).toBe(1);
    // Rules: each positive vs 5 negatives: 20 beats 4 and ties 1 (4.5); 10 beats 3, ties 1 (3.5); 0 ties 3 (1.5).
    expect(result.rules!.auc).toBeCloseTo(9.5 / 15, 12);
    expect(result.model.brier).toBeCloseTo((0.01 + 0.04 + 0.16 + 0.16 + 0.09 + 0.04 + 0.01 + 0.0025) / 8, 12);
    expect(result.rules).not.toHaveProperty('brier');
    expect(result.model.deciles).toHaveLength(10);
  });

  it('gives the AUC difference with an interval around it', () => {
    const d = result.aucDifference!;
    expect(d.estimate).toBeCloseTo(1 - 9.5 / 15, 12);
    expect(d.low).toBeLessThanOrEqual(d.estimate);
    expect(d.high).toBeGreaterThanOrEqual(d.estimate);
  });

  it('summarises tiers and the rule tier × model tier agreement', () => {
    expect(result.tiers.model.map((t) => [t.tier, t.leads, t.conversionRate])).toEqual([
      ['hot', 2, 1],
      ['warm', 2, 0.5],
      ['cold', 4, 0],
    ]);
    expect(result.tiers.rules.map((t) => [t.tier, t.leads])).toEqual([
      ['A', 2],
      ['B', 2],
      ['C', 4],
    ]);
    const cell = (r: string, m: string) => result.agreement!.cells.find((c) => c.ruleTier === r && c.modelTier === m)!;
    expect(result.agreement!.cells).toHaveLength(9);
    expect(cell('A', 'hot')).toMatchObject({ leads: 1, conversions: 1, conversionRate: 1 });
    expect(cell('C', 'warm')).toMatchObject({ leads: 1, conversions: 1, conversionRate: 1 });
    expect(cell('A', 'warm')).toMatchObject({ leads: 1, conversions: 0, conversionRate: 0 });
    expect(cell('A', 'cold')).toMatchObject({ leads: 0, conversionRate: null });
  });

  it('is JSON-ready and parses back through its schema', () => {
    const json = JSON.parse(JSON.stringify(result));
    expect(ModelRulesComparison.parse(json)).toEqual(json);
  });

  it('is deterministic for a seed', () => {
    expect(compareModelToRules(input, { resamples: 200, seed: 1 })).toEqual(result);
  });

  it('leaves the rule parts null without rules', () => {
    const alone = compareModelToRules({ ...input, rules: undefined });
    expect(alone.rules).toBeNull();
    expect(alone.aucDifference).toBeNull();
    expect(alone.agreement).toBeNull();
    expect(ModelRulesComparison.parse(JSON.parse(JSON.stringify(alone))).model.auc).toBe(1);
  });

  it('refuses rows with a single class, naming the source', () => {
    const run = () => compareModelToRules({ ...input, labels: new Array(8).fill(0) });
    expect(run).toThrow(InputError);
    expect(run).toThrow('test rows of leads.csv: 0 of 8 rows converted');
  });
});

describe('formatComparison', () => {
  it('prints the metrics table, the verdict, tiers and agreement without colour codes', () => {
    const text = formatComparison(compareModelToRules(input, { resamples: 200, seed: 1 }));
    expect(text).toContain('Model vs rules on 8 leads, 3 converted (37.5 %).');
    expect(text).toMatch(/ROC AUC\s+│\s+1\.000 │\s+0\.633 │/);
    expect(text).toContain('Calibration error (ECE)');
    expect(text).toContain('rule tier \\ model tier');
    expect(text).not.toContain('\u001b[');
  });

  it('words the verdict by where the interval lies', () => {
    const base = compareModelToRules(input, { resamples: 200 });
    const at = (low: number, high: number) =>
      verdict({ ...base, aucDifference: { estimate: (low + high) / 2, low, high, level: 0.95, resamples: 200 } });
    expect(at(0.01, 0.05)).toMatch(
      /^The model ranks leads better than the rules: AUC \+0\.030 \(95 % interval \+0\.010 to \+0\.050\)/,
    );
    expect(at(-0.05, -0.01)).toMatch(/^The rules rank leads better/);
    expect(at(-0.01, 0.02)).toMatch(/^No clear difference/);
  });
});
