import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gainsByDecile } from '../../../training/metrics/gains.ts';
import {
  brierScore,
  expectedCalibrationError,
  logLoss,
  reliabilityBins,
} from '../../../training/metrics/probability.ts';
import { averagePrecision, rocAuc } from '../../../training/metrics/ranking.ts';

/** Values scikit-learn computed on the same rows (test/training/fixtures/make-sklearn-metrics.py). */
interface SklearnCase {
  name: string;
  y: number[];
  p: number[];
  rocAuc: number;
  averagePrecision: number;
  logLoss: number;
  brier: number;
  calibration: { probTrue: number[]; probPred: number[]; counts: number[] };
  ece: number;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/sklearn-metrics.json', import.meta.url), 'utf8')) as {
  cases: SklearnCase[];
};

describe.each(fixture.cases)('scikit-learn parity: $name scores', (c) => {
  it('ROC AUC and average precision', () => {
    expect(rocAuc(c.y, c.p)).toBeCloseTo(c.rocAuc, 12);
    expect(averagePrecision(c.y, c.p)).toBeCloseTo(c.averagePrecision, 12);
  });

  it('log loss and Brier score', () => {
    expect(logLoss(c.y, c.p)).toBeCloseTo(c.logLoss, 12);
    expect(brierScore(c.y, c.p)).toBeCloseTo(c.brier, 12);
  });

  it('reliability bins as calibration_curve, and the ECE from them', () => {
    const bins = reliabilityBins(c.y, c.p);
    expect(bins.map((b) => b.observedRate)).toEqual(c.calibration.probTrue.map((v) => expect.closeTo(v, 12)));
    expect(bins.map((b) => b.meanPredicted)).toEqual(c.calibration.probPred.map((v) => expect.closeTo(v, 12)));
    expect(bins.map((b) => b.count)).toEqual(c.calibration.counts);
    expect(expectedCalibrationError(c.y, c.p)).toBeCloseTo(c.ece, 12);
  });

  it('captures every conversion by the last decile', () => {
    expect(gainsByDecile(c.y, c.p)[9]!.captured).toBeCloseTo(1, 12);
  });
});
