// `npm run build` (and `prepack`): compiles the report's charts to Vega (`build:charts`),
// compiles the product into dist/ with its type declarations, then copies what the compiled
// code reads at run time beside it, in the same layout as the source: the configs, the
// embedded demo data `leadscore demo` uses and the report's compiled charts.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// A clean tree: files of removed or renamed modules must not ship.
rmSync(dist, { recursive: true, force: true });
const charts = spawnSync(process.execPath, [path.join(root, 'scripts/build-charts.mjs')], { stdio: 'inherit' });
if (charts.status !== 0) process.exit(charts.status ?? 1);
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
for (const item of ['pipelines/configs', 'data/bank-marketing', 'pipelines/report/chart-templates.json']) {
  cpSync(path.join(root, item), path.join(dist, item), { recursive: true });
}
