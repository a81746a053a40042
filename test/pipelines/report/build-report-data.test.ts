import { describe, expect, it } from 'vitest';
import { buildReportData, featureWeightsFromContributions } from '../../../pipelines/report/build-report-data.ts';

const provenance = { dataFingerprint: 'sha256:abc', modelVersion: 'v1', generatedAt: '2026-11-23T10:00:00Z' };
const rows = {
  labels: Uint8Array.from([1, 0, 0]),
  probabilities: Float32Array.from([0.75, 0.5, 0.25]),
  ruleScores: Float64Array.from([10, 5, 0]),
  modelTiers: ['hot', 'cold', 'cold'],
  modelTierOrder: ['hot', 'cold'],
  ruleTiers: ['A', 'A', 'B'],
  ruleTierOrder: ['A', 'B'],
};

describe('buildReportData', () => {
  it('turns typed arrays into validated ReportData', () => {
    const d = buildReportData(rows, { provenance });
    expect(d.rows).toEqual({
      label: [1, 0, 0],
      modelProbability: [0.75, 0.5, 0.25],
      ruleScore: [10, 5, 0],
      modelTier: ['hot', 'cold', 'cold'],
      ruleTier: ['A', 'A', 'B'],
    });
    expect(d.featureImportances).toEqual([]);
    expect(d.title).toBe('Lead scoring report: model vs rules');
  });

  it('names the bad field', () => {
    expect(() => buildReportData({ ...rows, ruleTiers: ['A', 'C', 'B'] }, { provenance })).toThrow(
      /rows\.ruleTier\.1: unknown tier "C"/,
    );
  });
});

describe('featureWeightsFromContributions', () => {
  it('sizes by mean |contribution| and signs by how the value moves the contribution', () => {
    // a: centred coefficient +1 on values 0, 1, 2 -> contributions -1, 0, 1: mean |c| 2/3, rising
    // b: one-hot with coefficient -0.5 -> contributions -0.5, 0, -0.5: mean |c| 1/3, falling
    // c: constant value, contribution 0.2 each: no covariance, sign of the mean
    const x = { rows: 3, cols: 3, data: Float32Array.from([0, 1, 1, 1, 0, 1, 2, 1, 1]) };
    const c = { rows: 3, cols: 3, data: Float32Array.from([-1, -0.5, 0.2, 0, 0, 0.2, 1, -0.5, 0.2]) };
    const w = featureWeightsFromContributions(x, c, ['a', 'b', 'c']);
    expect(w.map((f) => f.feature)).toEqual(['a', 'b', 'c']);
    expect(w.map((f) => f.weight)).toEqual([
      expect.closeTo(2 / 3, 6),
      expect.closeTo(-1 / 3, 6),
      expect.closeTo(0.2, 6),
    ]);
  });

  it('refuses mismatched shapes', () => {
    const m = { rows: 1, cols: 2, data: new Float32Array(2) };
    expect(() => featureWeightsFromContributions(m, m, ['only one'])).toThrow(/shapes differ/);
  });
});
