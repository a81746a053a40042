/**
 * bench:marketing — the acceptance figures of the marketing-ops issue. For bank_random
 * and leads_random in ../shared/data/benchmarks/ it trains the data set's model on the
 * train file (no test rows held back), tunes the config's rules on the same file
 * (`rules tune`), makes a points sheet from the model (`rules from-model`), and judges
 * original rules, tuned rules, the sheet and the model on the test file. Targets: tuned
 * rules rank better than the original ones, the sheet loses at most 0.02 AUC against the
 * model. Prints a table, then one JSON line per case.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDatasetConfig } from '../config/load-config.ts';
import { runFromModel } from '../rules/run-from-model.ts';
import { runTune } from '../rules/run-tune.ts';
import { runTrain } from '../train/run-train.ts';

const root = path.resolve(import.meta.dirname, '../..');
const shared = process.env.LEADSCORE_SHARED ?? path.resolve(root, '../shared');
const splits = path.join(shared, 'data/benchmarks');
const cases = [
  { name: 'bank_random', config: 'bank-marketing', stem: 'bank-additional-full.csv' },
  { name: 'leads_random', config: 'x-education-leads', stem: 'Leads.csv' },
];

const tmp = mkdtempSync(path.join(os.tmpdir(), 'leadscore-marketing-'));
const results = [];
try {
  for (const c of cases) {
    const loaded = await loadDatasetConfig(path.join(root, 'pipelines/configs', `${c.config}.yaml`));
    loaded.config.training.split.testFraction = 0;
    const train = path.join(splits, c.name, `train-${c.stem}`);
    const test = path.join(splits, c.name, `test-${c.stem}`);
    const trained = await runTrain(loaded, { data: train, out: path.join(tmp, c.name) });
    trained.model.dispose();
    const tune = await runTune(loaded, {
      data: train,
      test,
      model: trained.dir,
      out: path.join(tmp, `${c.name}.tuned.yaml`),
    });
    const sheet = await runFromModel(trained.dir, { out: path.join(tmp, `${c.name}.sheet.yaml`), data: test });
    const auc = Object.fromEntries(tune.heldOut.figures.map((f) => [f.scorer, f.auc]));
    const figures = {
      originalRules: auc['original rules']!,
      tunedRules: auc['tuned rules']!,
      model: sheet.judged.aucModel,
      pointsSheet: sheet.judged.aucSheet,
      sheetBinnedUnrounded: sheet.judged.aucBinned,
    };
    const targets = {
      tunedAboveOriginal: figures.tunedRules > figures.originalRules,
      sheetWithin002: figures.model - figures.pointsSheet <= 0.02,
    };
    results.push({
      case: c.name,
      model: trained.model.manifest.model.kind,
      testRows: sheet.judged.rows,
      sheetRules: sheet.rules,
      auc: figures,
      targets,
      pass: Object.values(targets).every(Boolean),
    });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

console.log('test-file ROC AUC   original rules  tuned rules  model  points sheet  sheet cost');
for (const r of results) {
  const a = r.auc;
  console.log(
    `${r.case.padEnd(18)} ${a.originalRules.toFixed(3).padStart(14)} ${a.tunedRules.toFixed(3).padStart(12)} ${a.model.toFixed(3).padStart(6)} ${a.pointsSheet.toFixed(3).padStart(13)} ${(a.model - a.pointsSheet).toFixed(3).padStart(11)}   (${r.model}, ${r.testRows} test leads, sheet of ${r.sheetRules} rules; targets ${r.pass ? 'met' : 'missed'})`,
  );
}
for (const r of results) console.log(JSON.stringify(r));
