import { describe, expect, it } from 'vitest';
import { InputError } from '../../../features/errors.ts';
import { calibratorFromJson, fitCalibrator } from '../../../models/calibration/calibrator.ts';
import { IsotonicCalibration } from '../../../models/calibration/isotonic-calibration.ts';
import { PlattScaling } from '../../../models/calibration/platt-scaling.ts';

describe('PlattScaling', () => {
  it('solves the two-point case by hand: a = log 2 / logit 0.8 = 0.5, b = 0', () => {
    // Smoothed targets are 2/3 and 1/3, so sigmoid(a * 1.386) must be 2/3: a * 1.386 = log 2.
    const platt = PlattScaling.fit([0.2, 0.8], [0, 1]);
    expect(platt.a).toBeCloseTo(0.5, 6);
    expect(platt.b).toBeCloseTo(0, 6);
    const [lo, hi] = platt.apply([0.2, 0.8]);
    expect(lo).toBeCloseTo(1 / 3, 5);
    expect(hi).toBeCloseTo(2 / 3, 5);
  });

  it('moves over-confident probabilities towards the observed rate', () => {
    // Raw scores say 0.9 / 0.1 but the labels convert 60 % / 40 % of the time.
    const p: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 100; i++) {
      p.push(0.9, 0.1);
      y.push(i < 60 ? 1 : 0, i < 40 ? 1 : 0);
    }
    const [hi, lo] = PlattScaling.fit(p, y).apply([0.9, 0.1]);
    expect(hi).toBeCloseTo(0.6, 1);
    expect(lo).toBeCloseTo(0.4, 1);
  });

  it('round-trips through JSON', () => {
    const platt = PlattScaling.fit([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    const back = calibratorFromJson(JSON.parse(JSON.stringify(platt.toJSON())));
    expect(back.apply([0.3, 0.6])).toEqual(platt.apply([0.3, 0.6]));
  });
});

describe('IsotonicCalibration', () => {
  it('pools adjacent violators and interpolates between knots', () => {
    // 0.2 -> 1 and 0.3 -> 0 violate the order, so they pool to 0.5.
    const iso = IsotonicCalibration.fit([0.3, 0.1, 0.4, 0.2], [0, 0, 1, 1]);
    expect(iso.toJSON()).toEqual({ kind: 'isotonic', x: [0.1, 0.2, 0.3, 0.4], y: [0, 0.5, 0.5, 1] });
    expect(iso.value(0.15)).toBeCloseTo(0.25, 10);
    expect(iso.value(0.25)).toBeCloseTo(0.5, 10);
    expect(iso.value(0.35)).toBeCloseTo(0.75, 10);
    expect(iso.value(0)).toBe(0);
    expect(iso.value(1)).toBe(1);
  });

  it('gives tied inputs one output', () => {
    const iso = IsotonicCalibration.fit([0.5, 0.5, 0.5, 0.9], [0, 1, 1, 1]);
    expect(iso.toJSON()).toEqual({ kind: 'isotonic', x: [0.5, 0.9], y: [2 / 3, 1] });
  });

  it('is non-decreasing in its input', () => {
    const p = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) / 200);
    const y = p.map((v, i) => (v + ((i * 13) % 7) / 10 > 0.6 ? 1 : 0));
    const out = IsotonicCalibration.fit(p, y).apply(Array.from({ length: 101 }, (_, i) => i / 100));
    for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThanOrEqual(out[i - 1]!);
  });
});

describe('calibrator JSON', () => {
  it('fitCalibrator("none") is null', () => {
    expect(fitCalibrator('none', [0.1], [1])).toBeNull();
  });

  it('rejects a malformed calibrator naming the field', () => {
    expect(() => calibratorFromJson({ kind: 'isotonic', x: [0.1, 0.2], y: [0.5] })).toThrow(InputError);
    expect(() => calibratorFromJson({ kind: 'platt', a: 1 })).toThrow(/calibrator\.json: b:/);
    expect(() => calibratorFromJson({ kind: 'isotonic', x: [0.2, 0.1], y: [0, 1] })).toThrow(/non-decreasing/);
  });
});
