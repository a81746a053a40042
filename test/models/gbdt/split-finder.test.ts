import { describe, expect, it } from 'vitest';
import { MISSING_BIN } from '../../../models/gbdt/feature-binner.ts';
import { emptyHistogram, SLOT } from '../../../models/gbdt/histogram.ts';
import { findBestSplit, type SplitParams } from '../../../models/gbdt/split-finder.ts';

const params: SplitParams = {
  l2: 0,
  minSamplesLeaf: 1,
  minHessianLeaf: 0,
  minGainToSplit: 0,
  categoricalSmoothing: 0,
  minCategorySupport: 1,
};

/** One-column histogram from {bin: [g, h, n]}. */
function hist(bins: Record<number, [number, number, number]>): Float64Array {
  const h = emptyHistogram(1);
  for (const [b, [g, hs, n]] of Object.entries(bins)) h.set([g, hs, n], Number(b) * SLOT);
  return h;
}

function totals(bins: Record<number, [number, number, number]>) {
  const v = Object.values(bins);
  return { g: v.reduce((s, b) => s + b[0], 0), h: v.reduce((s, b) => s + b[1], 0), n: v.reduce((s, b) => s + b[2], 0) };
}

const numeric = { binCount: Int32Array.of(3), categorical: Uint8Array.of(0) };

describe('findBestSplit', () => {
  it('finds the boundary with the largest gain, computed by hand', () => {
    // Left (-2, 0.5): 4/0.5 = 8; right (2, 0.5): 8; parent 0 -> gain 16.
    const bins = { 0: [-2, 0.5, 2], 1: [2, 0.5, 2] } as Record<number, [number, number, number]>;
    const s = findBestSplit(hist(bins), totals(bins), numeric, params)!;
    expect(s).toMatchObject({ feature: 0, threshold: 0, bits: null, left: { n: 2 }, right: { n: 2 } });
    expect(s.gain).toBeCloseTo(16, 10);
  });

  it('sends missing values the way that gains more', () => {
    // Missing left: (-3, 1) -> 9 and (2, 0.5) -> 8, minus parent 1/1.5: 16.333 beats 8.333 right.
    const bins = { 0: [-2, 0.5, 2], 1: [2, 0.5, 2], [MISSING_BIN]: [-1, 0.5, 2] } as Record<
      number,
      [number, number, number]
    >;
    const s = findBestSplit(hist(bins), totals(bins), numeric, params)!;
    expect(s.missingLeft).toBe(true);
    expect(s.threshold).toBe(0);
    expect(s.gain).toBeCloseTo(17 - 1 / 1.5, 10);
  });

  it('respects the minimum rows per leaf', () => {
    const bins = { 0: [-2, 0.5, 2], 1: [2, 0.5, 2] } as Record<number, [number, number, number]>;
    expect(findBestSplit(hist(bins), totals(bins), numeric, { ...params, minSamplesLeaf: 3 })).toBeNull();
  });

  it('groups categories whatever their codes: the odd middle one goes left alone', () => {
    const bins = { 0: [1, 1, 2], 1: [-1, 1, 2], 2: [1, 1, 2] } as Record<number, [number, number, number]>;
    const cat = { binCount: Int32Array.of(3), categorical: Uint8Array.of(1) };
    const s = findBestSplit(hist(bins), totals(bins), cat, params)!;
    expect([...s.bits!]).toEqual([0b010, 0, 0, 0, 0, 0, 0, 0]);
    // Left (-1, 1) -> 1; right (2, 2) -> 2; parent 1/3.
    expect(s.gain).toBeCloseTo(3 - 1 / 3, 10);
  });
});
