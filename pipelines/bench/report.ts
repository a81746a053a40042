/**
 * Report speed and size: builds the numbers and renders the HTML report for generated
 * leads the size of the bank-marketing data (41 188 rows) and five times that. Prints a
 * table, then one JSON line last with per-size `numbersMs`, `renderMs` and `htmlBytes`.
 * Run: npm run bench:report [-- --leads N]
 */
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../../training/index.ts';
import { buildReportData } from '../report/build-report-data.ts';
import { renderReport } from '../report/render-report.ts';
import { reportNumbers } from '../report/report-numbers.ts';

const leadsArg = process.argv.indexOf('--leads');
const sizes = leadsArg > 0 ? [Number(process.argv[leadsArg + 1])] : [41_188, 205_940];

/** Leads whose conversion follows a latent propensity; the model sees it well, the rules coarsely. */
function generate(n: number, seed: number) {
  const rand = seededRandom(seed);
  const labels = new Uint8Array(n);
  const probabilities = new Float64Array(n);
  const ruleScores = new Float64Array(n);
  const modelTiers: string[] = [];
  const ruleTiers: string[] = [];
  for (let i = 0; i < n; i++) {
    const latent = (rand() + rand() + rand() - 1.5) * 3;
    labels[i] = rand() < 1 / (1 + Math.exp(-(latent - 2.5))) ? 1 : 0;
    const p = 1 / (1 + Math.exp(-(latent - 2.5 + (rand() - 0.5))));
    probabilities[i] = p;
    ruleScores[i] = Math.round((latent + (rand() - 0.5) * 4) * 10) + 20;
    modelTiers.push(p >= 0.5 ? 'hot' : p >= 0.15 ? 'warm' : 'cold');
    ruleTiers.push(ruleScores[i]! >= 40 ? 'A' : ruleScores[i]! >= 25 ? 'B' : ruleScores[i]! >= 10 ? 'C' : 'D');
  }
  const featureImportances = Array.from({ length: 40 }, (_, j) => ({
    feature: `feature ${j}`,
    weight: (rand() - 0.5) * 3,
  }));
  return buildReportData(
    {
      labels,
      probabilities,
      ruleScores,
      modelTiers,
      modelTierOrder: ['hot', 'warm', 'cold'],
      ruleTiers,
      ruleTierOrder: ['A', 'B', 'C', 'D'],
    },
    {
      provenance: { dataFingerprint: 'bench', modelVersion: 'bench', generatedAt: new Date(0).toISOString() },
      featureImportances,
    },
  );
}

// One warm-up render so module loading and JIT do not count against the first size.
await renderReport(generate(2_000, 1));
const results = [];
for (const n of sizes) {
  const data = generate(n, 42);
  let t = performance.now();
  reportNumbers(data);
  const numbersMs = performance.now() - t;
  t = performance.now();
  const html = await renderReport(data);
  const renderMs = performance.now() - t;
  results.push({
    leads: n,
    numbersMs: Math.round(numbersMs),
    renderMs: Math.round(renderMs),
    htmlBytes: Buffer.byteLength(html),
  });
}
console.table(results);
console.log(JSON.stringify({ bench: 'report', node: process.version, results }));
