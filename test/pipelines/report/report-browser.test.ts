import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../../pipelines/report/render-report.ts';
import { repoRoot } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { syntheticReportData } from './synthetic-report-data.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHARTS = ['roc', 'gains', 'lift', 'reliability', 'distributions', 'tiers', 'agreement', 'features'];
// In CI the browser test must run (and fail loudly if Chromium is missing); locally it may be skipped.
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip) console.warn(`report-browser.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

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
          marks: svg ? svg.querySelectorAll('.role-mark > path, .role-mark > rect, .role-mark > text, .role-mark > line').length : 0,
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
});
