/**
 * TensorFlow.js backends compared on the models' real workload: logistic regression and
 * MLP fit and predict times on bank_random (32,950 x 70 after the feature spec), per
 * backend (tfjs-node when installed, wasm, cpu). The figures decide models/tf-backend.ts's
 * default. Also prints each model's test AUC, as a check that every backend learns the same.
 *
 * usage: npm run bench:backends [-- --repeats N --mlp-epochs N]
 *   --repeats     LR fits per backend, the median is reported (default 3)
 *   --mlp-epochs  MLP epochs timed per backend, early stopping off (default 5)
 * Last line: one JSON object.
 */

import os from 'node:os';
import { parseArgs } from 'node:util';
import { LogisticRegression } from '../../models/logistic-regression.ts';
import { Mlp } from '../../models/mlp.ts';
import type { Scorer } from '../../models/scorer.ts';
import { useBackend, type BackendName } from '../../models/tf-backend.ts';
import { rocAuc } from '../../training/metrics/ranking.ts';
import { benchmarkMatrices, type EncodedSplit } from './benchmark-matrices.ts';

const { values } = parseArgs({
  options: { repeats: { type: 'string', default: '3' }, 'mlp-epochs': { type: 'string', default: '5' } },
});
const repeats = Math.max(1, Number(values.repeats));
const mlpEpochs = Math.max(1, Number(values['mlp-epochs']));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** Fits `make()` `times` times; returns the median fit and predict seconds and the last model's test AUC. */
async function timeModel(make: () => Scorer, data: EncodedSplit, times: number) {
  const fits: number[] = [];
  const predicts: number[] = [];
  let auc = 0;
  for (let i = 0; i < times; i++) {
    const model = make();
    let t = performance.now();
    await model.fit(data.train.x, data.train.y, { seed: 42 });
    fits.push((performance.now() - t) / 1000);
    t = performance.now();
    const p = await model.predictProba(data.test.x);
    predicts.push((performance.now() - t) / 1000);
    auc = rocAuc(data.test.y, p);
    model.dispose();
  }
  return { fitSeconds: round(median(fits)), predictSeconds: round(median(predicts)), testAuc: round(auc, 4) };
}

const data = await benchmarkMatrices('bank_random');
const results: Record<string, unknown> = {};
for (const backend of ['tfjs-node', 'wasm', 'cpu'] as BackendName[]) {
  try {
    await useBackend(backend);
  } catch {
    results[backend] = { available: false };
    console.log(`${backend}: not available`);
    continue;
  }
  // One throw-away fit warms the backend up (wasm compiles its module, kernels get set up).
  await timeModel(() => new LogisticRegression({ maxIterations: 5, earlyStopping: false }), data, 1);
  const logistic = await timeModel(() => new LogisticRegression({ earlyStopping: false }), data, repeats);
  const mlp = await timeModel(() => new Mlp({ maxEpochs: mlpEpochs, earlyStopping: false }), data, 1);
  const mlpPerEpoch = round(mlp.fitSeconds / mlpEpochs);
  results[backend] = { available: true, logistic, mlp: { ...mlp, epochs: mlpEpochs, secondsPerEpoch: mlpPerEpoch } };
  console.log(
    `${backend}: logistic fit ${logistic.fitSeconds}s predict ${logistic.predictSeconds}s auc ${logistic.testAuc} | ` +
      `mlp ${mlpPerEpoch}s/epoch predict ${mlp.predictSeconds}s auc ${mlp.testAuc}`,
  );
}

console.log(
  JSON.stringify({
    bench: 'backends',
    data: 'bank_random',
    rows: data.train.x.rows,
    cols: data.train.x.cols,
    testRows: data.test.x.rows,
    cpus: os.cpus().length,
    loadAverage: round(os.loadavg()[0]!, 2),
    repeats,
    results,
  }),
);
