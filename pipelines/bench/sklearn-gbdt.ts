/**
 * The gradient-boosting fit beside scikit-learn's HistGradientBoostingClassifier on the same
 * encoded training matrix, for bench:scale. The matrix is the one `train` fits on (the config's
 * split, the feature spec fitted on the training rows, every row encoded); it is written as
 * raw float32 for Python, and both models fit the same number of rounds with the same leaves,
 * learning rate, bins, L2 and minimum leaf size, without early stopping. Both fits include
 * binning. scikit-learn uses every core (OpenMP; OMP_NUM_THREADS limits it); ours sums its
 * histograms on every core too, at most 4 (FitOptions.threads). The ids of the test leads are
 * written too (TEST_IDS_FILE, one a line), for the do-it-yourself peer (diy-pipeline.ts).
 *
 * Runs only when Debian's python3-sklearn is importable (`/usr/bin/python3`, else `python3`).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { GradientBoostingClassifier } from '../../models/gbdt/gradient-boosting-classifier.ts';
import { rocAuc } from '../../training/metrics/ranking.ts';
import { splitFrame } from '../../training/split-rows.ts';
import { loadDatasetConfig } from '../config/load-config.ts';
import { encodeTrainingSet, labelledRows } from '../train/fit-lead-model.ts';
import { prepareData } from '../train/prepare-data.ts';
import { HGB_PYTHON, runModuleInChild, runPythonScript } from './python-peer.ts';

export interface SklearnGbdtComparison {
  rows: number;
  features: number;
  rounds: number;
  ourFitSeconds: number;
  sklearnFitSeconds: number;
  /** Our fit time over scikit-learn's. */
  fitRatio: number;
  ourTestAuc: number;
  sklearnTestAuc: number;
  sklearnThreads: number;
}

/** The file in the work directory naming the test leads of the config's split, one id a line. */
export const TEST_IDS_FILE = 'test-ids.txt';

const FIT_SCRIPT = `${HGB_PYTHON}
import json, os, sys, time
import numpy as np
from sklearn.metrics import roc_auc_score
d, rows, cols, test_rows, rounds = sys.argv[1], *map(int, sys.argv[2:6])
x = np.fromfile(os.path.join(d, 'train-x.f32'), dtype=np.float32).reshape(rows, cols)
y = np.fromfile(os.path.join(d, 'train-y.u8'), dtype=np.uint8)
xt = np.fromfile(os.path.join(d, 'test-x.f32'), dtype=np.float32).reshape(test_rows, cols)
yt = np.fromfile(os.path.join(d, 'test-y.u8'), dtype=np.uint8)
m = hgb(rounds)
t = time.perf_counter()
m.fit(x, y)
fit = time.perf_counter() - t
auc = roc_auc_score(yt, m.predict_proba(xt)[:, 1])
print(json.dumps({'fitSeconds': fit, 'testAuc': auc, 'threads': HGB_THREADS}))
`;

/** Fits both models on the training matrix of `configFile` (`rounds` rounds each) and compares them. */
export async function compareWithSklearn(
  python: string,
  configFile: string,
  workDir: string,
  rounds: number,
): Promise<SklearnGbdtComparison> {
  const loaded = await loadDatasetConfig(configFile);
  const { config } = loaded;
  const data = await prepareData(loaded);
  const { frame } = data;
  const split = splitFrame(frame, config.training.split, config.training.seed);
  const { x } = encodeTrainingSet(config, data, split.train);
  const { x: train, y: trainY } = labelledRows(x, frame.label!, split.train);
  const { x: test, y: testY } = labelledRows(x, frame.label!, split.test);
  const write = (name: string, bytes: ArrayBufferView) =>
    writeFileSync(path.join(workDir, name), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  write('train-x.f32', train.data);
  write('train-y.u8', trainY);
  write('test-x.f32', test.data);
  write('test-y.u8', testY);
  writeFileSync(path.join(workDir, TEST_IDS_FILE), Array.from(split.test, (r) => `${frame.ids[r]}\n`).join(''));

  const ours = new GradientBoostingClassifier({ maxIterations: rounds, earlyStopping: false });
  const started = process.hrtime.bigint();
  await ours.fit(train, trainY);
  const ourFitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ourTestAuc = rocAuc(testY, await ours.predictProba(test));
  ours.dispose();

  const peer = runPythonScript<{ fitSeconds: number; testAuc: number; threads: number }>(
    python,
    FIT_SCRIPT,
    [workDir, ...[train.rows, train.cols, test.rows, rounds].map(String)],
    'scikit-learn fit',
  );
  const round = (v: number, d = 3) => Number(v.toFixed(d));
  return {
    rows: train.rows,
    features: train.cols,
    rounds,
    ourFitSeconds: round(ourFitSeconds, 2),
    sklearnFitSeconds: round(peer.fitSeconds, 2),
    fitRatio: round(ourFitSeconds / peer.fitSeconds, 2),
    ourTestAuc: round(ourTestAuc, 4),
    sklearnTestAuc: round(peer.testAuc, 4),
    sklearnThreads: peer.threads,
  };
}

/** The comparison in a child process of its own (see runModuleInChild). */
export function compareWithSklearnInChild(
  python: string,
  configFile: string,
  workDir: string,
  rounds: number,
): SklearnGbdtComparison {
  return runModuleInChild(import.meta.filename, [python, configFile, workDir, String(rounds)], 'gbdt vs scikit-learn');
}

if (process.argv[1] === import.meta.filename) {
  const [python, configFile, workDir, rounds] = process.argv.slice(2);
  console.log(JSON.stringify(await compareWithSklearn(python!, configFile!, workDir!, Number(rounds))));
}
