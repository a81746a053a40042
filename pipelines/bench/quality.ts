/**
 * bench:quality — the quality bar of the training issue. For each benchmark split in
 * ../shared/data/benchmarks/ it trains on the train file with the data set's config
 * (no test rows held back: the test file is the test set), evaluates model and rules on
 * the test file, and prints the figures beside ../shared/bench/anchors.jsonl (scikit-learn
 * and XGBoost on the same files), then one JSON line per case. It also times scikit-learn's
 * logistic regression (anchors.py: load, fit, predict) on bank_random in the same run,
 * when Debian's python3 has scikit-learn, beside our train plus evaluate.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDatasetConfig } from '../config/load-config.ts';
import { loadModelDir } from '../evaluate/load-model.ts';
import { runEvaluate } from '../evaluate/run-evaluate.ts';
import { runTrain } from '../train/run-train.ts';

const root = path.resolve(import.meta.dirname, '../..');
const shared = process.env.LEADSCORE_SHARED ?? path.resolve(root, '../shared');
const splits = path.join(shared, 'data/benchmarks');
const cases = [
  { name: 'bank_random', config: 'bank-marketing', stem: 'bank-additional-full.csv' },
  { name: 'leads_random', config: 'x-education-leads', stem: 'Leads.csv' },
  { name: 'bank_time', config: 'bank-marketing', stem: 'bank-additional-full.csv' },
];

interface Peer {
  auc: number;
  brier: number;
  liftTop10: number;
}
const anchors = new Map<string, Record<string, Peer>>(
  readFileSync(path.join(shared, 'bench/anchors.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { case: string } & Record<string, Peer>)
    .map((a) => [a.case, a]),
);

/** Seconds scikit-learn's LR takes in anchors.py (load both files, fit, predict), or null without python3 + sklearn. */
function sklearnLrSeconds(caseName: string): number | null {
  const script = `
import sys, time
sys.path.insert(0, ${JSON.stringify(path.join(shared, 'bench'))})
import anchors
t = time.perf_counter()
stem, opts, label, pos, drop = anchors.CASES[${JSON.stringify(caseName)}]
Xtr, ytr, Xte, yte = anchors.load(${JSON.stringify(path.join(splits, caseName))}, stem, opts, label, pos, drop)
cat = [c for c in Xtr.columns if Xtr[c].dtype == object or Xtr[c].dtype == bool]
num = [c for c in Xtr.columns if c not in cat]
for c in cat:
    Xtr[c] = Xtr[c].astype(str).where(Xtr[c].notna(), None)
    Xte[c] = Xte[c].astype(str).where(Xte[c].notna(), None)
m = anchors.models(num, cat)["sklearn_lr"]
m.fit(Xtr, ytr)
m.predict_proba(Xte)
print(time.perf_counter() - t)
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'leadscore-quality-'));
const results = [];
try {
  for (const c of cases) {
    const loaded = await loadDatasetConfig(path.join(root, 'pipelines/configs', `${c.config}.yaml`));
    loaded.config.training.split.testFraction = 0;
    const start = performance.now();
    const trained = await runTrain(loaded, {
      data: path.join(splits, c.name, `train-${c.stem}`),
      out: path.join(tmp, c.name),
    });
    trained.model.dispose();
    const m = await loadModelDir(trained.dir);
    const e = await runEvaluate(m, { data: path.join(splits, c.name, `test-${c.stem}`) });
    m.model.dispose();
    const seconds = (performance.now() - start) / 1000;
    const peers = anchors.get(c.name)!;
    const sk = peers.sklearn_lr!;
    const best = [peers.sklearn_hgb!, peers.xgboost!].reduce((a, b) => (b.auc > a.auc ? b : a));
    const bestBrier = Math.min(sk.brier, peers.sklearn_hgb!.brier, peers.xgboost!.brier);
    const model = e.comparison.model;
    const rules = e.comparison.rules!;
    const targets: Record<string, boolean> = {
      aucAtLeastSklearnLr: model.auc >= sk.auc,
      aucAboveRules: model.auc > rules.auc,
      liftAboveRules: model.liftTop10 > rules.liftTop10,
    };
    if (c.name === 'bank_time') targets.aucAtLeast0745 = model.auc >= 0.745;
    else {
      targets.aucAtLeastBestTreeMinus0005 = model.auc >= best.auc - 0.005;
      targets.brierAtMostBestPlus0002 = model.brier <= bestBrier + 0.002;
    }
    const sklearnSeconds = c.name === 'bank_random' ? sklearnLrSeconds(c.name) : null;
    results.push({
      case: c.name,
      model: trained.model.manifest.model.kind,
      backend: trained.model.manifest.backend,
      test: e.comparison.rows,
      ours: {
        auc: model.auc,
        prAuc: model.prAuc,
        logLoss: model.logLoss,
        brier: model.brier,
        liftTop10: model.liftTop10,
      },
      rules: { auc: rules.auc, prAuc: rules.prAuc, liftTop10: rules.liftTop10 },
      peers: { sklearn_lr: sk, sklearn_hgb: peers.sklearn_hgb, xgboost: peers.xgboost },
      trainEvaluateSeconds: seconds,
      sklearnLrSeconds: sklearnSeconds,
      timeRatio: sklearnSeconds ? seconds / sklearnSeconds : null,
      targets,
      pass: Object.values(targets).every(Boolean),
    });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const f = (x: number | undefined | null, d = 4) => (x === undefined || x === null ? '-' : x.toFixed(d));
console.log('case          metric     ours    rules   sk-LR   sk-HGB  XGBoost');
for (const r of results) {
  for (const k of ['auc', 'prAuc', 'brier', 'liftTop10'] as const) {
    const rule = k === 'brier' ? undefined : r.rules[k];
    const peer = (p: Record<string, number> | undefined) => p?.[k];
    console.log(
      `${r.case.padEnd(13)} ${k.padEnd(9)} ${f(r.ours[k]).padStart(7)} ${f(rule).padStart(7)} ${f(peer(r.peers.sklearn_lr as never)).padStart(7)} ${f(peer(r.peers.sklearn_hgb as never)).padStart(7)} ${f(peer(r.peers.xgboost as never)).padStart(7)}`,
    );
  }
  console.log(
    `${r.case.padEnd(13)} model ${r.model} (${r.backend}), train+evaluate ${r.trainEvaluateSeconds.toFixed(2)} s${r.sklearnLrSeconds ? `, scikit-learn LR ${r.sklearnLrSeconds.toFixed(2)} s, ratio ${r.timeRatio!.toFixed(1)}` : ''}; targets ${
      r.pass
        ? 'met'
        : `missed: ${Object.entries(r.targets)
            .filter(([, v]) => !v)
            .map(([k]) => k)
            .join(', ')}`
    }`,
  );
}
for (const r of results)
  console.log(
    JSON.stringify({
      case: r.case,
      model: r.model,
      auc: r.ours.auc,
      brier: r.ours.brier,
      liftTop10: r.ours.liftTop10,
      rulesAuc: r.rules.auc,
      rulesLiftTop10: r.rules.liftTop10,
      trainEvaluateSeconds: r.trainEvaluateSeconds,
      sklearnLrSeconds: r.sklearnLrSeconds,
      timeRatio: r.timeRatio,
      targets: r.targets,
      pass: r.pass,
    }),
  );
