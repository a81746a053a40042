import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../../pipelines/report/render-report.ts';
import { repoRoot, runCliAsync } from '../../helpers/run-cli.ts';
import { writeSyntheticLeads } from '../../helpers/synthetic-leads.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { syntheticReportData } from './synthetic-report-data.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHARTS = ['roc', 'gains', 'lift', 'reliability', 'distributions', 'tiers', 'agreement', 'features'];
// In CI the browser test must run (and fail loudly if Chromium is missing); locally it may be skipped.
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip)
  console.warn(`report-browser.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

describe.skipIf(skip)('report in headless Chromium', () => {
  let browser: Browser;
  const tmp = tempDir('leadscore-report-browser-');

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart with marks, logs no error and makes no request', async () => {
    const file = tmp.write('report.html', await renderReport(syntheticReportData(3000)));
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });

    const charts = await page.$$eval('section[data-chart]', (sections) =>
      sections.map((s) => {
        const svg = s.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: s.getAttribute('data-chart'),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: svg
            ? svg.querySelectorAll('.role-mark > path, .role-mark > rect, .role-mark > text, .role-mark > line').length
            : 0,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(CHARTS);
    for (const c of charts) {
      expect(c.width, c.id!).toBeGreaterThan(150);
      expect(c.height, c.id!).toBeGreaterThan(100);
      expect(c.marks, c.id!).toBeGreaterThan(0);
    }
    expect(await page.locator('#summary tbody tr').count()).toBe(7);
    expect(await page.locator('#provenance').innerText()).toContain('sha256:3f5a9c0d');

    const artifacts = path.join(repoRoot, 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it("a trained model's report shows the config's labels, the drivers in points and the tier cut-offs", async () => {
    const config = writeSyntheticLeads(tmp.dir, { rows: 3000 });
    writeFileSync(
      config,
      `${readFileSync(config, 'utf8')}labels:\n  title: { label: Job title, values: { VP Sales: vice president of sales } }\n  country: Country the lead says it is based in, as typed in the web form\n  visits: Website visits\n`,
    );
    const model = path.join(tmp.dir, 'model');
    const trained = await runCliAsync(['train', '--config', config, '--out', model]);
    expect(trained.code, trained.stderr).toBe(0);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(path.join(model, 'report.html')).href, { waitUntil: 'load' });

    // Labels, not raw names; a long label wraps onto lines instead of being cut.
    const axisLabels = await page.$$eval('#features svg .role-axis-label text', (texts) =>
      texts.map((t) => t.textContent ?? ''),
    );
    const joined = axisLabels.join(' | ');
    expect(joined).toContain('Job title = vice president of sales');
    expect(joined).toContain('Website visits');
    const long = await page.$$eval('#features svg .role-axis-label text', (texts) =>
      texts
        .filter((t) => (t.textContent ?? '').includes('Country the lead'))
        .map((t) => t.querySelectorAll('tspan').length),
    );
    expect(long.length).toBeGreaterThan(0);
    for (const lines of long) expect(lines).toBeGreaterThan(1);
    // The drivers in points on the 0-100 score.
    expect(await page.locator('#features').innerText()).toContain('points of the 0-100 score');
    expect(await page.$eval('#features svg', (svg) => svg.textContent ?? '')).toContain(
      'Average points a lead gains or loses on the 0-100 score',
    );
    // Cut-offs: in score units and rule points, with how the tiers were set.
    const cutoffs = await page.locator('#cutoffs').innerText();
    expect(cutoffs).toMatch(/hot\s+\d+(\.\d)? or more/);
    expect(cutoffs).toMatch(/hot\s+30 points or more/);
    expect(cutoffs).toContain('set by share of leads');
    expect(await page.$eval('#tiers svg', (svg) => svg.textContent ?? '')).toMatch(/hot\s*from \d+(\.\d)?/);
    // The distributions are drawn back to back and say so.
    expect(await page.locator('#distributions .guide').innerText()).toContain('back to back');
    expect(await page.locator('#chance').count()).toBe(0);
    const artifacts = path.join(repoRoot, 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'report-labels.png'), fullPage: true });
    await page.close();
  }, 120_000);
});
