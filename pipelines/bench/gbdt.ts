/**
 * Benchmark of the gradient-boosting scorer on the shared train/test splits: fit on each
 * `train-*` file, score its `test-*` file, print AUC, Brier, log loss and timings beside the
 * peers in ../shared/bench/anchors.jsonl. Variants:
 * - gbdt: simple codes, categorical columns split by subsets (native categorical splits);
 * - gbdt_ordinal: the same codes treated as ordered numbers;
 * - gbdt_spec: the project's feature spec (one-hot, imputed, scaled), as `train` will see it,
 *   one-hot groups found by the model and split as categorical columns (the default);
 * - gbdt_spec_plain: the same matrix with one-hot columns split one indicator at a time.
 *
 * usage: npm run bench:gbdt [-- [--options JSON] case ...]
 *   cases: bank_random leads_random bank_time synthetic_wide (33k x 60 generated, for speed)
 *   --options overrides classifier settings for every variant, e.g. '{"learningRate":0.05}'.
 * Last line: one JSON object with every case.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { takeMatrixRows, type Matrix } from '../../features/matrix.ts';
import { GradientBoostingClassifier } from '../../models/gbdt/gradient-boosting-classifier.ts';
import type { GbdtOptionsInput } from '../../models/gbdt/gbdt-options.ts';
import { brierScore, logLoss } from '../../training/metrics/probability.ts';
import { rocAuc } from '../../training/metrics/ranking.ts';
import { ALL_CASES, benchData, type Encoding } from './gbdt-bench-data.ts';

const ANCHORS = path.resolve(import.meta.dirname, '../../../shared/bench/anchors.jsonl');

interface Variant {
  encoding: Encoding;
  options: GbdtOptionsInput;
  /** Pass the data's categorical code columns. */
  native?: boolean;
}

const VARIANTS: Record<string, Variant> = {
  gbdt: { encoding: 'codes', options: {}, native: true },
  gbdt_ordinal: { encoding: 'codes', options: {} },
  gbdt_spec: { encoding: 'spec', options: {} },
  gbdt_spec_plain: { encoding: 'spec', options: { oneHotGroups: [] } },
};

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

async function runVariant(name: string, variant: Variant, overrides: GbdtOptionsInput) {
  const { train, test, categorical } = await benchData(name, variant.encoding);
  const model = new GradientBoostingClassifier({
    ...variant.options,
    ...overrides,
    ...(variant.native ? { categoricalFeatures: categorical } : {}),
  });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await model.fit(train.x, train.y, { seed: 42 });
  const fitSeconds = (performance.now() - t0) / 1000;
  // CPU time as well: on a busy machine wall time says more about the neighbours.
  const fitCpuSeconds = process.cpuUsage(cpu0).user / 1e6;
  const t1 = performance.now();
  const p = await model.predictProba(test.x);
  const predictMsPerRow = (performance.now() - t1) / test.x.rows;
  const explain = await explainTimes(
    model,
    takeMatrixRows(
      test.x,
      Array.from({ length: Math.min(1000, test.x.rows) }, (_, i) => i),
    ),
  );
  const result = {
    auc: round(rocAuc(test.y, p)),
    brier: round(brierScore(test.y, p)),
    logLoss: round(logLoss(test.y, p, 1e-7)),
    trees: model.treeCount,
    features: train.x.cols,
    fitSeconds: round(fitSeconds, 3),
    fitCpuSeconds: round(fitCpuSeconds, 3),
    predictMsPerRow: round(predictMsPerRow, 5),
    ...explain,
  };
  model.dispose();
  return { train: train.x.rows, test: test.x.rows, result };
}

/** Milliseconds per row of `explain`, by path attribution and by tree SHAP (same trees). */
async function explainTimes(model: GradientBoostingClassifier, x: Matrix) {
  const artifact = await model.toArtifact();
  const options = { ...(artifact.meta.options as Record<string, unknown>), explanation: 'shap' };
  const shap = GradientBoostingClassifier.fromArtifact({ ...artifact, meta: { ...artifact.meta, options } });
  const t0 = performance.now();
  await model.explain(x);
  const t1 = performance.now();
  await shap.explain(x);
  const t2 = performance.now();
  return { explainPathMsPerRow: round((t1 - t0) / x.rows, 4), explainShapMsPerRow: round((t2 - t1) / x.rows, 4) };
}

function anchors(): Record<string, Record<string, { auc: number; brier: number; fitSeconds: number }>> {
  if (!existsSync(ANCHORS)) return {};
  const lines = readFileSync(ANCHORS, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  return Object.fromEntries(lines.map((l) => JSON.parse(l)).map((a) => [a.case, a]));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--options');
  const overrides = at >= 0 ? (JSON.parse(args.splice(at, 2)[1] ?? '{}') as GbdtOptionsInput) : {};
  const cases = args.length ? args : ALL_CASES;
  const peers = anchors();
  const out: Record<string, unknown>[] = [];
  for (const name of cases) {
    const row: Record<string, unknown> = { case: name };
    for (const [label, variant] of Object.entries(VARIANTS)) {
      // The generated case has no categories and no config: one variant says it all.
      if (name === 'synthetic_wide' && label !== 'gbdt') continue;
      const r = await runVariant(name, variant, overrides);
      Object.assign(row, { train: r.train, test: r.test, [label]: r.result });
      console.log(`${name.padEnd(14)} ${label.padEnd(17)} ${JSON.stringify(r.result)}`);
    }
    for (const peer of ['sklearn_lr', 'sklearn_hgb', 'xgboost']) {
      const a = peers[name]?.[peer];
      if (a)
        console.log(`${name.padEnd(14)} ${peer.padEnd(17)} auc=${a.auc} brier=${a.brier} fitSeconds=${a.fitSeconds}`);
    }
    out.push(row);
  }
  console.log(JSON.stringify({ bench: 'gbdt', options: overrides, cases: out }));
}

await main();
