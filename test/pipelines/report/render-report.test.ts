import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../pipelines/report/render-report.ts';
import { smallCase } from './small-case.ts';
import { syntheticReportData } from './synthetic-report-data.ts';

const CHARTS = ['roc', 'gains', 'lift', 'reliability', 'distributions', 'tiers', 'agreement', 'features'];

describe('renderReport', () => {
  it('renders every chart as inline SVG with marks', async () => {
    const html = await renderReport(syntheticReportData(500));
    for (const id of CHARTS) {
      const section = html.match(new RegExp(`<section[^>]*data-chart="${id}"[\\s\\S]*?</section>`))?.[0];
      expect(section, id).toBeDefined();
      expect(section!, id).toMatch(/<svg[\s\S]*class="mark-[a-z]+ role-mark[\s\S]*<\/svg>/);
    }
  });

  it('is self-contained: no scripts, no external URLs, a policy that blocks requests', async () => {
    const html = await renderReport(syntheticReportData(500));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    const urls = [...html.matchAll(/(?:https?:)?\/\/[\w.-]+\.[a-z]{2,}[^\s"')]*/gi)].map((m) => m[0]);
    expect(urls.filter((u) => !/^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)$/.test(u))).toEqual([]);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('keeps the ids of different charts apart', async () => {
    const html = await renderReport(syntheticReportData(500));
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
  });

  it('escapes text from the data and shows the summary and provenance numbers', async () => {
    const html = await renderReport(smallCase());
    expect(html).toContain('<title>Small &lt;case&gt;</title>');
    expect(html).not.toContain('Small <case>');
    // model AUC 17/21, rules 17.5/21 (see report-numbers.test.ts)
    expect(html).toMatch(/ROC AUC<\/th><td class="num">0\.810<\/td><td class="num better">0\.833<\/td>/);
    expect(html).toContain('<code>sha256:abc</code>');
    expect(html).toContain('<code>v-test</code>');
    expect(html).toContain('10 leads, 3 converted (30.0 %)');
  });

  it('omits the feature chart when there are no feature weights', async () => {
    const html = await renderReport({ ...smallCase(), featureImportances: [] });
    expect(html).not.toContain('data-chart="features"');
    expect(html).toContain('data-chart="agreement"');
  });
});
