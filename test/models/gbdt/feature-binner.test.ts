import { describe, expect, it } from 'vitest';
import { FeatureBinner, MISSING_BIN, categoricalCodes, numericEdges } from '../../../models/gbdt/feature-binner.ts';
import { matrix } from './fixtures.ts';

describe('numericEdges', () => {
  it('splits halfway between neighbours when there are few distinct values', () => {
    expect(numericEdges(Float64Array.from([3, 1, 2, 2, 1]), 255)).toEqual([1.5, 2.5, Infinity]);
  });

  it('uses quantiles when there are more distinct values than bins', () => {
    // 0..99 in 4 bins: cut positions 24.75, 49.5, 74.25 fall between 24|25, 49|50, 74|75.
    const values = Float64Array.from({ length: 100 }, (_, i) => i);
    expect(numericEdges(values, 4)).toEqual([24.5, 49.5, 74.5, Infinity]);
  });

  it('keeps infinite values out of the cut points', () => {
    expect(numericEdges(Float64Array.from([-Infinity, 0, 1, Infinity]), 255)).toEqual([0.5, Infinity]);
  });
});

describe('categoricalCodes', () => {
  it('keeps the most frequent codes, ties by code, returned in ascending order', () => {
    expect(categoricalCodes(Float64Array.from([7, 7, 7, 3, 3, 9, 5]), 3)).toEqual([3, 5, 7]);
  });
});

describe('FeatureBinner', () => {
  const x = matrix([
    [1, 10],
    [2, 20],
    [NaN, 10],
    [3, 30],
  ]);
  const binner = FeatureBinner.fit(x, { maxBins: 255, categorical: [1], seed: 1 });

  it('bins values by upper edges and sends NaN to the missing bin', () => {
    expect([...binner.transform(x)]).toEqual([0, 0, 1, 1, MISSING_BIN, 0, 2, 2]);
  });

  it('treats categories unseen in training as missing', () => {
    expect(binner.binOf(1, 40)).toBe(MISSING_BIN);
    expect(binner.binOf(0, 100)).toBe(2);
    expect(binner.binOf(0, -100)).toBe(0);
  });

  it('round-trips through JSON', () => {
    const again = FeatureBinner.fromJSON(JSON.parse(JSON.stringify(binner.toJSON())));
    expect([...again.transform(x)]).toEqual([...binner.transform(x)]);
    expect(again.binCount(0)).toBe(3);
    expect(again.isCategorical(1)).toBe(true);
  });

  it('takes quantiles of large data from a seeded sample', () => {
    const big = { rows: 300_000, cols: 1, data: Float32Array.from({ length: 300_000 }, (_, i) => i) };
    const a = FeatureBinner.fit(big, { maxBins: 4, categorical: [], seed: 1 }).toJSON()[0]!;
    const b = FeatureBinner.fit(big, { maxBins: 4, categorical: [], seed: 1 }).toJSON()[0]!;
    const c = FeatureBinner.fit(big, { maxBins: 4, categorical: [], seed: 2 }).toJSON()[0]!;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // Quartiles of 0..299999 are near 75k, 150k, 225k.
    const edges = (a as { edges: number[] }).edges;
    expect(edges.slice(0, 3).map((e) => Math.round(e / 5000) * 5000)).toEqual([75_000, 150_000, 225_000]);
  });

  it('rejects rows with another column count', () => {
    expect(() => binner.transform(matrix([[1, 2, 3]]))).toThrow(/expected 2 feature columns/);
  });
});
