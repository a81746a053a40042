import { describe, expect, it } from 'vitest';
import { ReportData } from '../../../pipelines/report/report-data.ts';
import { smallCase } from './small-case.ts';

describe('ReportData', () => {
  it('accepts the small case and fills the default title', () => {
    const { title: _title, ...rest } = smallCase();
    expect(ReportData.parse(rest).title).toBe('Lead scoring report: model vs rules');
  });

  it('names an array whose length differs from the labels', () => {
    const d = smallCase();
    d.rows.ruleScore.pop();
    const err = ReportData.safeParse(d).error!;
    expect(err.issues[0]).toMatchObject({ path: ['rows', 'ruleScore'], message: 'has 9 values, rows.label has 10' });
  });

  it('names the first row with a tier missing from the tier list', () => {
    const d = smallCase();
    d.rows.modelTier[4] = 'lukewarm';
    const err = ReportData.safeParse(d).error!;
    expect(err.issues[0]!.path).toEqual(['rows', 'modelTier', 4]);
    expect(err.issues[0]!.message).toMatch(/unknown tier "lukewarm"/);
  });

  it('needs both converted and unconverted leads', () => {
    const d = smallCase();
    d.rows.label = d.rows.label.map(() => 0);
    expect(ReportData.safeParse(d).error!.issues[0]).toMatchObject({
      path: ['rows', 'label'],
      message: '0 of 10 leads converted; the report needs both converted and unconverted leads',
    });
  });

  it('rejects probabilities outside [0, 1], labels other than 0/1, duplicate tiers and unknown keys', () => {
    const bad = (mutate: (d: ReturnType<typeof smallCase>) => void) => {
      const d = smallCase();
      mutate(d);
      return ReportData.safeParse(d).success;
    };
    expect(bad((d) => (d.rows.modelProbability[0] = 1.2))).toBe(false);
    expect(bad((d) => ((d.rows.label as number[])[0] = 2))).toBe(false);
    expect(bad((d) => (d.modelTiers = ['hot', 'hot', 'cold']))).toBe(false);
    expect(bad((d) => Object.assign(d, { extra: 1 }))).toBe(false);
    expect(bad((d) => (d.provenance.generatedAt = 'yesterday'))).toBe(false);
  });
});
