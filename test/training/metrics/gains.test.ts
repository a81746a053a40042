import { describe, expect, it } from 'vitest';
import { gainsByDecile, topGain } from '../../../training/metrics/gains.ts';

// Ten leads, best score first; 3 converted (base rate 0.3).
const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
const labels = [1, 1, 0, 1, 0, 0, 0, 0, 0, 0];

describe('topGain', () => {
  it('gives lift and capture of the top 10 %', () => {
    const top = topGain(labels, scores, 0.1);
    // One lead taken, converted: rate 1 against 0.3.
    expect(top.lift).toBeCloseTo(1 / 0.3, 12);
    expect(top.capture).toBeCloseTo(1 / 3, 12);
  });

  it('spreads a tie group straddling the boundary pro rata', () => {
    // 20 leads on one score, 5 converted: the top 2 hold 0.5 conversions in expectation.
    const top = topGain(
      Array.from({ length: 20 }, (_, i) => (i < 5 ? 1 : 0)),
      new Array(20).fill(1),
      0.1,
    );
    expect(top.lift).toBeCloseTo(1, 12);
    expect(top.capture).toBeCloseTo(0.1, 12);
  });

  it('counts a partly taken tie group by its share', () => {
    // Top score holds 1 lead (converted); the next group of 4 holds 2 conversions; top 30 % of 10 = 3 leads.
    const top = topGain([1, 1, 1, 0, 0, 0, 0, 0, 0, 0], [9, 5, 5, 5, 5, 1, 1, 1, 1, 1], 0.3);
    // 1 + 2 * (2 / 4) = 2 conversions among 3 leads; base rate 0.3.
    expect(top.capture).toBeCloseTo(2 / 3, 12);
    expect(top.lift).toBeCloseTo(2 / 3 / 0.3, 12);
  });
});

describe('gainsByDecile', () => {
  it('accumulates conversions decile by decile', () => {
    const d = gainsByDecile(labels, scores);
    expect(d).toHaveLength(10);
    expect(d.map((x) => x.captured)).toEqual(
      [1 / 3, 2 / 3, 2 / 3, 1, 1, 1, 1, 1, 1, 1].map((v) => expect.closeTo(v, 12)),
    );
    expect(d.map((x) => x.conversionRate)).toEqual([1, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(d[2]!.cumulativeLift).toBeCloseTo(2 / 3 / 0.3, 12);
    expect(d[1]!.lift).toBeCloseTo(1 / 0.3, 12);
    expect(d[9]!.cumulativeLift).toBeCloseTo(1, 12);
    expect(d[9]!.leadsShare).toBe(1);
  });

  it('gives zeros when nobody converted', () => {
    const d = gainsByDecile([0, 0, 0], [1, 2, 3]);
    expect(d.every((x) => x.captured === 0 && x.lift === 0)).toBe(true);
  });
});
