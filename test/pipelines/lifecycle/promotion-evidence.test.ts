import { describe, expect, it } from 'vitest';
import { promotionDecision } from '../../../pipelines/lifecycle/promotion-evidence.ts';

/** Seeded uniform noise. */
function noise(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const n = 3000;
const labels = noise(n, 1).map((u) => (u < 0.2 ? 1 : 0));
/** A score whose signal strength is `strength` (0: pure noise). */
const score = (strength: number, seed: number) => noise(n, seed).map((u, i) => u + strength * labels[i]!);
const base = { labels, resamples: 300, seed: 42 };

describe('retrain --promote: promotion needs evidence', () => {
  it('promotes a challenger that clearly beats the champion and the rules', () => {
    const d = promotionDecision({
      ...base,
      challenger: score(0.8, 2),
      champion: { version: 'v1', scores: score(0.3, 3) },
      rules: score(0.2, 4),
    });
    expect(d.reasons).toEqual([]);
    expect(d.promote).toBe(true);
    expect(d.versusChampion!.low).toBeGreaterThan(0);
  });

  it('keeps the champion when the AUC-difference interval includes zero', () => {
    const d = promotionDecision({
      ...base,
      challenger: score(0.5, 5),
      champion: { version: 'v1', scores: score(0.5, 6) },
      rules: null,
    });
    expect(d.promote).toBe(false);
    expect(d.reasons.join()).toMatch(
      /does not clearly beat the champion v1: AUC [+-]0\.\d{3} \(95 % interval -0\.\d{3} to \+0\.\d{3}, which includes 0\)/,
    );
  });

  it('keeps the champion when it ranks better', () => {
    const d = promotionDecision({
      ...base,
      challenger: score(0.2, 7),
      champion: { version: 'v1', scores: score(0.8, 8) },
      rules: null,
    });
    expect(d.promote).toBe(false);
    expect(d.reasons.join()).toMatch(/the champion v1 ranks better: AUC -0\.\d{3}/);
  });

  it('refuses a challenger that ranks worse than the rules, even without a champion', () => {
    const d = promotionDecision({ ...base, challenger: score(0.3, 9), champion: null, rules: score(0.6, 10) });
    expect(d.promote).toBe(false);
    expect(d.reasons).toHaveLength(1);
    expect(d.reasons[0]).toMatch(/^the challenger ranks worse than the rules: AUC 0\.\d{3} vs 0\.\d{3}$/);
  });

  it('refuses a challenger no better than chance', () => {
    const d = promotionDecision({ ...base, challenger: score(0, 11), champion: null, rules: null });
    expect(d.promote).toBe(false);
    expect(d.reasons[0]).toMatch(/no better than chance/);
  });
});
