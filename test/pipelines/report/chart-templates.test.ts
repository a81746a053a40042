import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../../features/errors.ts';
import { CHART_INPUTS, type ChartId } from '../../../pipelines/report/chart-inputs.ts';
import { CHART_TEMPLATES_FILE, chartTemplate, fillChart } from '../../../pipelines/report/chart-templates.ts';
import { chartTemplatesJson, compileChart } from '../../../pipelines/report/compile-charts.ts';
import { ReportData, type ReportDataInput } from '../../../pipelines/report/report-data.ts';
import { reportNumbers } from '../../../pipelines/report/report-numbers.ts';
import { smallCase, tierCutoffs } from './small-case.ts';
import { syntheticReportData } from './synthetic-report-data.ts';

const CHARTS = Object.keys(CHART_INPUTS) as ChartId[];

/** Reports that open every door a spec has: cut-offs or not, points or log-odds, labels on one line or several. */
const cases: Record<string, ReportDataInput> = {
  synthetic: syntheticReportData(400),
  'small, log-odds': smallCase(),
  'with cut-offs, in points, long feature names': {
    ...syntheticReportData(300, 3),
    featureUnit: 'points',
    featureImportances: [
      { feature: 'What is your current occupation = Working Professional with a degree', weight: 12.5 },
      { feature: 'Lead Origin = Lead Add Form', weight: -4 },
    ],
    tierCutoffs: tierCutoffs(),
  },
};

describe('the compiled report charts', () => {
  it('are the Vega-Lite source compiled now (else run `npm run build:charts`)', () => {
    expect(readFileSync(CHART_TEMPLATES_FILE, 'utf8')).toBe(chartTemplatesJson());
  });

  for (const [name, input] of Object.entries(cases)) {
    it(`filled with a report's inputs, equal its Vega-Lite compiled with them: ${name}`, () => {
      const data = ReportData.parse(input);
      const n = reportNumbers(data);
      for (const id of CHARTS) {
        const inputs = CHART_INPUTS[id](n, data);
        expect(fillChart(chartTemplate(id), inputs), id).toEqual(compileChart(id, inputs as never));
      }
    });
  }
});

describe('fillChart', () => {
  const template = {
    data: [{ name: 'rows' }, { name: 'derived', source: 'rows' }],
    scales: [{ domain: [0, '@@top@@'] }],
    signals: [{ name: 'label', update: "'@@title@@: ' + datum.x" }],
  };

  it('puts the rows in their dataset and each param in its placeholder, numbers as numbers', () => {
    const spec = fillChart(template, { datasets: { rows: [{ x: 1 }] }, params: { top: 0.4, title: 'Rate' } });
    expect(spec).toEqual({
      data: [
        { name: 'rows', values: [{ x: 1 }] },
        { name: 'derived', source: 'rows' },
      ],
      scales: [{ domain: [0, 0.4] }],
      signals: [{ name: 'label', update: "'Rate: ' + datum.x" }],
    });
    expect(template.data[0]).toEqual({ name: 'rows' });
  });

  it('refuses a missing param, rows for no dataset, a dataset left empty, and text that needs escaping', () => {
    const rows = { rows: [{ x: 1 }] };
    expect(() => fillChart(template, { datasets: rows, params: { top: 1 } })).toThrow(/param "title" missing/);
    expect(() => fillChart(template, { datasets: { ...rows, other: [] }, params: { top: 1, title: 'T' } })).toThrow(
      /no dataset named other/,
    );
    expect(() => fillChart(template, { datasets: {}, params: { top: 1, title: 'T' } })).toThrow(
      /dataset "rows" has no rows/,
    );
    expect(() => fillChart(template, { datasets: rows, params: { top: 1, title: "it's" } })).toThrow(InvariantError);
  });
});
