import { describe, expect, it } from 'vitest';
import { ReportData } from '../../../pipelines/report/report-data.ts';
import { reportNumbers, thinCurve, topFeatures } from '../../../pipelines/report/report-numbers.ts';
import { scoreHistogram } from '../../../pipelines/report/score-histogram.ts';
import { smallCase } from './small-case.ts';

const data = ReportData.parse(smallCase());

describe('reportNumbers on the ten-lead case', () => {
  const n = reportNumbers(data, { histogramBins: 2, reliabilityBins: 5 });

  // Ranked by the model, the three conversions are leads 1, 3 and 6 of 10. The rules'
  // points form tie groups 30 (1 of 2 converted), 20 (1 of 1), 10 (1 of 3), 0 (0 of 4).
  it('summarises model and rules side by side', () => {
    expect(n.rows).toBe(10);
    expect(n.conversions).toBe(3);
    expect(n.baseRate).toBeCloseTo(0.3, 12);
    // AUC: negatives ranked below each conversion, ties half: (7 + 6 + 4) / 21 and (6.5 + 6 + 5) / 21
    expect(n.summary.model.auc).toBeCloseTo(17 / 21, 12);
    expect(n.summary.rules.auc).toBeCloseTo(17.5 / 21, 12);
    // average precision: (1/1 + 2/3 + 3/6) / 3, and per tie group 1/3·1/2 + 1/3·2/3 + 1/3·3/6
    expect(n.summary.model.prAuc).toBeCloseTo(13 / 18, 12);
    expect(n.summary.rules.prAuc).toBeCloseTo(10 / 18, 12);
    expect(n.summary.model.brier).toBeCloseTo(0.18525, 12);
    expect(n.summary.rules.brier).toBeNull();
    // top lead: a conversion for the model; half of the 30-points block (0.5 conversions) for the rules
    expect(n.summary.model.liftTop10).toBeCloseTo(1 / 0.3, 12);
    expect(n.summary.rules.liftTop10).toBeCloseTo(0.5 / 0.3, 12);
    expect(n.summary.model.captureTop10).toBeCloseTo(1 / 3, 12);
    expect(n.summary.rules.captureTop10).toBeCloseTo(0.5 / 3, 12);
    expect(n.summary.model.topTier).toMatchObject({ tier: 'hot', leads: 3, conversions: 2 });
    expect(n.summary.rules.topTier).toMatchObject({ tier: 'A', leads: 3, conversions: 2 });
  });

  it('draws both ROC curves, every point kept on so few leads', () => {
    expect(
      n.roc.filter((p) => p.scorer === 'Model').map((p) => [Math.round(p.fpr * 7), Math.round(p.tpr * 3)]),
    ).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 2],
      [2, 2],
      [3, 2],
      [3, 3],
      [4, 3],
      [5, 3],
      [6, 3],
      [7, 3],
    ]);
    expect(n.roc.filter((p) => p.scorer === 'Rules').map((p) => [p.fpr * 7, p.tpr * 3])).toEqual(
      [
        [0, 0],
        [1, 1],
        [1, 2],
        [3, 3],
        [7, 3],
      ].map(([a, b]) => [expect.closeTo(a!, 12), expect.closeTo(b!, 12)]),
    );
  });

  it('has ten gain rows per scorer and the reliability bins of the model', () => {
    expect(n.gains.filter((g) => g.scorer === 'Model').map((g) => g.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(n.gains.filter((g) => g.scorer === 'Model').map((g) => g.captured * 3)).toEqual(
      [1, 1, 2, 2, 2, 3, 3, 3, 3, 3].map((v) => expect.closeTo(v, 12)),
    );
    // tie blocks share their conversions pro rata: 4 leads = 30s, 20 and a third of the 10s
    expect(n.gains.filter((g) => g.scorer === 'Rules').map((g) => g.captured * 3)).toEqual(
      [0.5, 1, 2, 7 / 3, 8 / 3, 3, 3, 3, 3, 3].map((v) => expect.closeTo(v, 12)),
    );
    expect(n.gains.filter((g) => g.scorer === 'Model').map((g) => g.lift)).toEqual(
      [1, 0, 1, 0, 0, 1, 0, 0, 0, 0].map((v) => expect.closeTo(v / 0.3, 12)),
    );
    // five bins of two leads, by probability: (.05, .1), (.2, .3), (.4, .5), (.6, .7), (.8, .9)
    expect(n.reliability.map((b) => [b.count, b.meanPredicted, b.observedRate])).toEqual(
      [
        [2, 0.075, 0],
        [2, 0.25, 0],
        [2, 0.45, 0.5],
        [2, 0.65, 0.5],
        [2, 0.85, 0.5],
      ].map(([c, m, o]) => [c, expect.closeTo(m!, 12), o]),
    );
  });

  it('splits score distributions by outcome, each outcome summing to one', () => {
    // model, bins [0, .5) and [.5, 1]: converted 1 and 2 of 3, not converted 4 and 3 of 7
    expect(n.distributions.model.map((b) => [b.from, b.to, b.outcome, b.leads])).toEqual([
      [0, 0.5, 'converted', 1],
      [0, 0.5, 'not converted', 4],
      [0.5, 1, 'converted', 2],
      [0.5, 1, 'not converted', 3],
    ]);
    expect(n.distributions.model.filter((b) => b.outcome === 'not converted').map((b) => b.share)).toEqual([
      4 / 7,
      3 / 7,
    ]);
    // rules, min 0 to max 30 in 2 bins: [0, 15) holds 0s and 10s, [15, 30] holds 20 and 30s
    expect(n.distributions.rules.map((b) => b.leads)).toEqual([1, 6, 2, 1]);
  });

  it('lists tiers in their order and the agreement cells', () => {
    expect(n.tiers.model.map((t) => [t.tier, t.leads, t.conversions])).toEqual([
      ['hot', 3, 2],
      ['warm', 3, 1],
      ['cold', 4, 0],
    ]);
    expect(n.tiers.rules.map((t) => t.conversionRate)).toEqual([2 / 3, 1 / 3, 0, null]);
    expect(n.agreement).toHaveLength(12);
    expect(n.agreement[0]).toMatchObject({
      ruleTier: 'A',
      modelTier: 'hot',
      leads: 2,
      conversions: 1,
      conversionRate: 0.5,
    });
  });

  it('keeps the features with the largest |weight|, with direction', () => {
    expect(n.features.map((f) => [f.feature, f.direction])).toEqual([
      ['b', 'lowers score'],
      ['c', 'raises score'],
      ['a', 'raises score'],
    ]);
    expect(topFeatures(data.featureImportances, 1)).toEqual([{ feature: 'b', weight: -2, direction: 'lowers score' }]);
  });
});

describe('scoreHistogram', () => {
  it('puts the maximum in the last bin and equal scores in one bin', () => {
    expect(scoreHistogram([1, 0, 0], [0, 5, 10], { bins: 2 }).map((b) => b.leads)).toEqual([1, 0, 0, 2]);
    const flat = scoreHistogram([1, 0], [3, 3], { bins: 5 });
    expect(flat.map((b) => [b.from, b.to, b.leads])).toEqual([
      [3, 4, 1],
      [3, 4, 1],
    ]);
  });
});

describe('thinCurve', () => {
  it('drops points closer than the step to the last kept one, keeping both ends', () => {
    const pts = [0, 0.001, 0.002, 0.01, 0.011, 1].map((v) => ({ fpr: v, tpr: 0 }));
    expect(thinCurve(pts, 0.004).map((p) => p.fpr)).toEqual([0, 0.01, 1]);
    expect(thinCurve(pts, 0)).toHaveLength(6);
  });

  it('keeps a 20 000-point curve light but faithful', () => {
    const pts = Array.from({ length: 20_001 }, (_, i) => ({ fpr: i / 20_000, tpr: Math.sqrt(i / 20_000) }));
    const kept = thinCurve(pts, 0.004);
    expect(kept.length).toBeLessThan(600);
    expect(kept[0]).toEqual(pts[0]);
    expect(kept[kept.length - 1]).toEqual(pts[20_000]);
  });
});
