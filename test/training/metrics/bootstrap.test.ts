import { describe, expect, it } from 'vitest';
import { bootstrapAucDifference, bootstrapAucs, quantileSorted } from '../../../training/metrics/bootstrap.ts';
import { rocAuc } from '../../../training/metrics/ranking.ts';
import { seededRandom } from '../../../training/random.ts';

/** Labels, a good score and a tie-heavy weaker score (like rule points). */
function synthetic(n: number, seed: number) {
  const random = seededRandom(seed);
  const labels: number[] = [];
  const model: number[] = [];
  const rules: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = random() * 4 - 2;
    labels.push(random() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0);
    model.push(z + (random() - 0.5));
    rules.push(Math.round(z + (random() - 0.5) * 4));
  }
  return { labels, model, rules };
}

/** The same bootstrap, done slowly: materialise each resample and call rocAuc on it. */
function naiveBootstrap(labels: number[], a: number[], b: number[], resamples: number, seed: number): number[] {
  const random = seededRandom(seed);
  const n = labels.length;
  const out: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const idx = Array.from({ length: n }, () => Math.floor(random() * n));
    const y = idx.map((i) => labels[i]!);
    const d =
      rocAuc(
        y,
        idx.map((i) => a[i]!),
      ) -
      rocAuc(
        y,
        idx.map((i) => b[i]!),
      );
    if (!Number.isNaN(d)) out.push(d);
  }
  return out.sort((x, z) => x - z);
}

describe('bootstrapAucDifference', () => {
  const { labels, model, rules } = synthetic(400, 3);

  it('estimates AUC(model) - AUC(rules) on all rows', () => {
    const d = bootstrapAucDifference(labels, model, rules, { resamples: 200, seed: 1 });
    expect(d.estimate).toBeCloseTo(rocAuc(labels, model) - rocAuc(labels, rules), 12);
    expect(d.low).toBeLessThanOrEqual(d.estimate);
    expect(d.high).toBeGreaterThanOrEqual(d.estimate);
    expect(d.resamples).toBe(200);
    expect(d.level).toBe(0.95);
  });

  it('gives the same interval as resampling rows one by one', () => {
    const d = bootstrapAucDifference(labels, model, rules, { resamples: 100, seed: 9 });
    const naive = naiveBootstrap(labels, model, rules, 100, 9);
    expect(d.low).toBeCloseTo(quantileSorted(naive, 0.025), 12);
    expect(d.high).toBeCloseTo(quantileSorted(naive, 0.975), 12);
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = bootstrapAucDifference(labels, model, rules, { resamples: 100, seed: 5 });
    const b = bootstrapAucDifference(labels, model, rules, { resamples: 100, seed: 5 });
    const c = bootstrapAucDifference(labels, model, rules, { resamples: 100, seed: 6 });
    expect(b).toEqual(a);
    expect(c.low).not.toBe(a.low);
  });

  it('is exactly zero for a scorer against itself', () => {
    expect(bootstrapAucDifference(labels, model, model, { resamples: 50 })).toMatchObject({
      estimate: 0,
      low: 0,
      high: 0,
    });
  });
});

describe('bootstrapAucs', () => {
  it('gives, from one set of draws, the two bootstraps run apart: against a constant and against the rules', () => {
    for (const seed of [1, 7]) {
      const { labels, model, rules } = synthetic(400, seed);
      const both = bootstrapAucs(labels, model, rules, { resamples: 200, seed });
      const constant = new Array<number>(labels.length).fill(3);
      expect(both.alone).toEqual(bootstrapAucDifference(labels, model, constant, { resamples: 200, seed }));
      expect(both.versus).toEqual(bootstrapAucDifference(labels, model, rules, { resamples: 200, seed }));
      expect(bootstrapAucs(labels, model, undefined, { resamples: 200, seed })).toEqual({ alone: both.alone });
    }
  });

  it('skips the resamples of one class in both, as the bootstraps apart do', () => {
    // Two rows, one of each class: half the resamples draw a single class.
    const both = bootstrapAucs([0, 1], [0.2, 0.9], [1, 0], { resamples: 100, seed: 3 });
    expect(both.alone.resamples).toBeLessThan(100);
    expect(both.alone.resamples).toBe(both.versus!.resamples);
    expect(both.alone).toEqual(bootstrapAucDifference([0, 1], [0.2, 0.9], [5, 5], { resamples: 100, seed: 3 }));
  });
});

describe('quantileSorted', () => {
  it('interpolates linearly like numpy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});
