import { describe, expect, it } from 'vitest';
import {
  brierScore,
  expectedCalibrationError,
  logLoss,
  reliabilityBins,
} from '../../../training/metrics/probability.ts';

const y = [0, 0, 1, 1];
const p = [0.1, 0.4, 0.35, 0.8];

describe('logLoss', () => {
  it('matches scikit-learn log_loss', () => {
    // -(ln .9 + ln .6 + ln .35 + ln .8) / 4
    expect(logLoss(y, p)).toBeCloseTo(0.47228795380917615, 12);
  });

  it('clips certain misses to a large finite loss', () => {
    // scikit-learn: log_loss([1, 0], [0.0, 0.5]) = 18.36840028483855 (clipped at the float64 epsilon).
    expect(logLoss([1, 0], [0, 0.5])).toBeCloseTo(18.36840028483855, 9);
    expect(logLoss([1, 0, 0], [0, 0.5, 0])).toBeCloseTo(12.245600189892366, 9);
    expect(logLoss([0], [1])).toBeGreaterThan(30);
    expect(Number.isFinite(logLoss([0], [1]))).toBe(true);
  });

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => logLoss([1], [1.5])).toThrow(/outside \[0, 1\]/);
  });
});

describe('brierScore', () => {
  it('is the mean squared error', () => {
    // (.01 + .16 + .4225 + .04) / 4
    expect(brierScore(y, p)).toBeCloseTo(0.158125, 12);
  });
});

describe('expectedCalibrationError', () => {
  it('weights each equal-width bin by its leads', () => {
    // Bin [0,.1): |.05 - 0| x 1/4; bin [.1,.2): |.15 - .5| x 2/4; bin [.9,1]: |.95 - 1| x 1/4.
    expect(expectedCalibrationError([0, 0, 1, 1], [0.05, 0.15, 0.15, 0.95])).toBeCloseTo(0.2, 12);
  });

  it('is 0 when every bin predicts its observed rate', () => {
    expect(expectedCalibrationError([0, 1, 0, 0], [0.25, 0.25, 0.25, 0.25])).toBeCloseTo(0, 12);
  });
});

describe('reliabilityBins', () => {
  it('closes uniform bins on the right like scikit-learn and skips empty bins', () => {
    // calibration_curve puts 0.1 in the first bin [0, 0.1] and 0.3 in (0.2, 0.3].
    const bins = reliabilityBins([0, 1, 1, 0], [0.1, 1, 0.95, 0.3]);
    expect(bins.map((b) => b.bin)).toEqual([1, 3, 10]);
    expect(reliabilityBins([0], [0])[0]!.bin).toBe(1);
    expect(bins[2]).toMatchObject({ lower: 0.9, upper: 1, count: 2, observedRate: 1 });
    expect(bins[2]!.meanPredicted).toBeCloseTo(0.975, 12);
  });

  it('cuts equal numbers of leads with the quantile strategy', () => {
    const bins = reliabilityBins([0, 0, 1, 1], [0.9, 0.1, 0.2, 0.8], 2, 'quantile');
    expect(bins.map((b) => b.count)).toEqual([2, 2]);
    expect(bins[0]).toMatchObject({ lower: 0.1, upper: 0.2, observedRate: 0.5 });
    expect(bins[1]!.meanPredicted).toBeCloseTo(0.85, 12);
  });
});
