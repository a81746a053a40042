/**
 * The gradient-boosting fit beside scikit-learn's HistGradientBoostingClassifier on the same
 * encoded training matrix, for bench:scale. The matrix is the one `train` fits on (the config's
 * split, the feature spec fitted on the training rows, every row encoded); it is written as
 * raw float32 for Python, and both models fit the same number of rounds with the same leaves,
 * learning rate, bins, L2 and minimum leaf size, without early stopping. Both fits include
 * binning. scikit-learn uses every core (OpenMP); ours runs on one thread.
 *
 * Runs only when Debian's python3-sklearn is importable (`/usr/bin/python3`, else `python3`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GradientBoostingClassifier } from '../../models/gbdt/gradient-boosting-classifier.ts';
import { rocAuc } from '../../training/metrics/ranking.ts';
import { splitFrame } from '../../training/split-rows.ts';
import { loadDatasetConfig } from '../config/load-config.ts';
import { encodeTrainingSet, labelledRows } from '../train/fit-lead-model.ts';
import { prepareData } from '../train/prepare-data.ts';

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

/** The Python with scikit-learn, or undefined when there is none. */
export function sklearnPython(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (python.startsWith('/') && !existsSync(python)) continue;
    const r = spawnSync(python, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return python;
  }
  return undefined;
}

const FIT_SCRIPT = `
import json, os, sys, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
d, rows, cols, test_rows, rounds = sys.argv[1], *map(int, sys.argv[2:6])
x = np.fromfile(os.path.join(d, 'train-x.f32'), dtype=np.float32).reshape(rows, cols)
y = np.fromfile(os.path.join(d, 'train-y.u8'), dtype=np.uint8)
xt = np.fromfile(os.path.join(d, 'test-x.f32'), dtype=np.float32).reshape(test_rows, cols)
yt = np.fromfile(os.path.join(d, 'test-y.u8'), dtype=np.uint8)
m = HistGradientBoostingClassifier(learning_rate=0.05, max_iter=rounds, max_leaf_nodes=31, min_samples_leaf=20,
    l2_regularization=1.0, max_bins=255, early_stopping=False, random_state=42)
t = time.perf_counter()
m.fit(x, y)
fit = time.perf_counter() - t
auc = roc_auc_score(yt, m.predict_proba(xt)[:, 1])
print(json.dumps({'fitSeconds': fit, 'testAuc': auc, 'threads': os.cpu_count()}))
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

  const ours = new GradientBoostingClassifier({ maxIterations: rounds, earlyStopping: false });
  const started = process.hrtime.bigint();
  await ours.fit(train, trainY);
  const ourFitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ourTestAuc = rocAuc(testY, await ours.predictProba(test));
  ours.dispose();

  const r = spawnSync(python, ['-c', FIT_SCRIPT, workDir, ...[train.rows, train.cols, test.rows, rounds].map(String)], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`scikit-learn fit failed: ${r.stderr.trim().split('\n').at(-1)}`);
  const peer = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    fitSeconds: number;
    testAuc: number;
    threads: number;
  };
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

/**
 * The comparison in a child process of its own: loading the training set takes the memory
 * `train` takes, and a parent's peak RSS would otherwise show in the peak of every command
 * it starts afterwards (Linux keeps ru_maxrss across fork and exec).
 */
export function compareWithSklearnInChild(
  python: string,
  configFile: string,
  workDir: string,
  rounds: number,
): SklearnGbdtComparison {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, python, configFile, workDir, String(rounds)],
    { encoding: 'utf8', maxBuffer: 16 << 20 },
  );
  if (r.status !== 0) throw new Error(`gbdt vs scikit-learn failed: ${r.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as SklearnGbdtComparison;
}

if (process.argv[1] === import.meta.filename) {
  const [python, configFile, workDir, rounds] = process.argv.slice(2);
  console.log(JSON.stringify(await compareWithSklearn(python!, configFile!, workDir!, Number(rounds))));
}
