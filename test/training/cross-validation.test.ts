import { describe, expect, it } from 'vitest';
import { modelMetrics } from '../../training/compare.ts';
import { spread, summariseFolds } from '../../training/cross-validation.ts';

describe('spread', () => {
  it('gives mean, sample standard deviation, min and max', () => {
    expect(spread([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3), min: 1, max: 4 });
    expect(spread([0.7])).toEqual({ mean: 0.7, sd: 0, min: 0.7, max: 0.7 });
    expect(() => spread([])).toThrow(RangeError);
  });
});

describe('summariseFolds', () => {
  it('summarises each headline metric over the folds', () => {
    const a = modelMetrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    const b = modelMetrics([0, 1], [0.2, 0.9]);
    const s = summariseFolds([a, b]);
    expect(s.folds).toBe(2);
    expect(s.auc).toMatchObject({ mean: (0.75 + 1) / 2, min: 0.75, max: 1 });
    expect(s.brier.mean).toBeCloseTo((a.brier + b.brier) / 2, 12);
  });
});
