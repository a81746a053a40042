import { describe, expect, it } from 'vitest';
import { driftLevel, populationStability, toProportions } from '../../../training/drift/population-stability.ts';

describe('populationStability', () => {
  it('is zero for identical distributions', () => {
    expect(populationStability([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
  });

  it('matches a hand computation', () => {
    // (0.25 - 0.5) ln(0.25/0.5) + (0.75 - 0.5) ln(0.75/0.5) = 0.173287 + 0.101366
    expect(populationStability([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.274653, 5);
  });

  it('floors empty bins at 1e-4 instead of going infinite', () => {
    // (0.5 - 1) ln(0.5) + (0.5 - 1e-4) ln(0.5 / 1e-4)
    expect(populationStability([1, 0], [0.5, 0.5])).toBeCloseTo(4.604318, 5);
  });

  it('is symmetric in its two arguments', () => {
    expect(populationStability([0.1, 0.9], [0.6, 0.4])).toBeCloseTo(populationStability([0.6, 0.4], [0.1, 0.9]), 12);
  });

  it('refuses bins that do not line up', () => {
    expect(() => populationStability([0.5, 0.5], [1])).toThrow(/2 expected bins but 1 actual/);
  });
});

describe('driftLevel', () => {
  it('reads PSI by the usual bands', () => {
    expect(driftLevel(0.05)).toBe('stable');
    expect(driftLevel(0.1)).toBe('moderate');
    expect(driftLevel(0.2)).toBe('moderate');
    expect(driftLevel(0.21)).toBe('shifted');
    expect(driftLevel(0.21, 0.3)).toBe('moderate');
  });
});

describe('toProportions', () => {
  it('divides by the total, and gives zeros for an empty sample', () => {
    expect(toProportions([1, 3])).toEqual([0.25, 0.75]);
    expect(toProportions([0, 0])).toEqual([0, 0]);
  });
});
