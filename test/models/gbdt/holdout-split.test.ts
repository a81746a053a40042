import { describe, expect, it } from 'vitest';
import { stratifiedHoldout } from '../../../models/gbdt/holdout-split.ts';
import { seededRandom } from '../../../models/seeded-random.ts';

describe('stratifiedHoldout', () => {
  const y = Uint8Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0));

  it('holds out the fraction of each class and keeps the rest', () => {
    const { train, holdout } = stratifiedHoldout(y, 0.1, 7);
    expect(holdout.length).toBe(10);
    expect([...holdout].filter((r) => y[r] === 1).length).toBe(2);
    expect(new Set([...train, ...holdout]).size).toBe(100);
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const a = stratifiedHoldout(y, 0.1, 7).holdout;
    expect([...stratifiedHoldout(y, 0.1, 7).holdout]).toEqual([...a]);
    expect([...stratifiedHoldout(y, 0.1, 8).holdout]).not.toEqual([...a]);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});
