import { describe, expect, it } from 'vitest';
import { monotoneRates } from '../../training/monotone-rates.ts';
import { assignTiers, chooseTierThresholds, TierThresholds, tierSummary } from '../../training/tiers.ts';
import { TierPolicy } from '../../training/training-config.ts';

const capacity = TierPolicy.parse({ policy: 'capacity' });
const targetRate = TierPolicy.parse({ policy: 'targetRate' });

describe('capacity tiers', () => {
  it('gives the top 10 % hot and the next 20 % warm, cutting halfway between scores', () => {
    const p = [0.95, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25, 0.15, 0.05];
    const tiers = chooseTierThresholds(new Array(10).fill(0), p, capacity);
    expect(tiers.thresholds).toEqual([expect.closeTo(0.9, 12), expect.closeTo(0.7, 12)]);
    expect(assignTiers(p, tiers)).toEqual([
      'hot',
      'warm',
      'warm',
      'cold',
      'cold',
      'cold',
      'cold',
      'cold',
      'cold',
      'cold',
    ]);
  });

  it('keeps a tie group at the boundary whole', () => {
    const p = [0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
    const tiers = chooseTierThresholds(new Array(10).fill(0), p, capacity);
    // The tie at 0.9 holds 20 % and fills hot; warm (up to 30 %) would need a piece of the 0.5 group, which comes whole.
    expect(tiers.thresholds).toEqual([0.7, 0.5]);
  });

  it('leaves a tier empty (null) when the capacity is already filled', () => {
    const tiers = chooseTierThresholds(
      [0, 0, 0],
      [0.9, 0.5, 0.1],
      TierPolicy.parse({ policy: 'capacity', shares: [0.1, 0.2] }),
    );
    // round(3 x 0.1) = 0 rows hot; round(3 x 0.3) = 1 row warm.
    expect(tiers.thresholds).toEqual([null, 0.7]);
    expect(assignTiers([0.9, 0.5], tiers)).toEqual(['warm', 'cold']);
  });
});

describe('target-rate tiers', () => {
  it('puts leads in the first tier whose target their expected rate reaches', () => {
    // Isotonic rates from the lowest score up: .4:0 .5:0 .6:.5 .7:.5 .8:1 .9:1.
    const p = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const y = [1, 1, 0, 1, 0, 0];
    const tiers = chooseTierThresholds(y, p, targetRate);
    expect(tiers.thresholds).toEqual([expect.closeTo(0.75, 12), expect.closeTo(0.55, 12)]);
    expect(assignTiers(p, tiers)).toEqual(['hot', 'hot', 'warm', 'warm', 'cold', 'cold']);
  });

  it('leaves the top tier empty when no lead reaches its target', () => {
    // Isotonic rates from the lowest score up: .2:0, then .3/.8/.9 pooled at 2/3.
    const tiers = chooseTierThresholds(
      [0, 1, 1, 0],
      [0.9, 0.8, 0.3, 0.2],
      TierPolicy.parse({ policy: 'targetRate', targetRates: [0.99, 0.5] }),
    );
    expect(tiers.thresholds).toEqual([null, 0.25]);
    expect(assignTiers([0.95, 0.5, 0.05], tiers)).toEqual(['warm', 'warm', 'cold']);
  });

  it('round-trips through JSON and the schema (as stored in the artifact)', () => {
    const tiers = chooseTierThresholds(
      [1, 0],
      [0.9, 0.1],
      TierPolicy.parse({ policy: 'targetRate', targetRates: [0.99, 0.5] }),
    );
    expect(TierThresholds.parse(JSON.parse(JSON.stringify(tiers)))).toEqual(tiers);
  });
});

describe('monotoneRates', () => {
  it('pools adjacent violators', () => {
    expect(Array.from(monotoneRates([0, 0, 1, 0, 1, 1], [1, 1, 1, 1, 1, 1]))).toEqual([0, 0, 0.5, 0.5, 1, 1]);
    expect(Array.from(monotoneRates([3, 1], [4, 4]))).toEqual([0.5, 0.5]);
  });
});

describe('tierSummary', () => {
  it('counts leads, share and conversion rate per tier, empty tiers included', () => {
    expect(tierSummary([1, 0, 1, 0], ['hot', 'hot', 'cold', 'cold'], ['hot', 'warm', 'cold'])).toEqual([
      { tier: 'hot', leads: 2, share: 0.5, conversions: 1, conversionRate: 0.5 },
      { tier: 'warm', leads: 0, share: 0, conversions: 0, conversionRate: null },
      { tier: 'cold', leads: 2, share: 0.5, conversions: 1, conversionRate: 0.5 },
    ]);
  });

  it('rejects a tier name outside the order', () => {
    expect(() => tierSummary([1], ['lukewarm'], ['hot', 'cold'])).toThrow(/"lukewarm" is not one of hot, cold/);
  });
});
