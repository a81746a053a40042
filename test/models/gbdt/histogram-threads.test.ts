import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier } from '../../../models/gbdt/gradient-boosting-classifier.ts';
import { buildHistogram, emptyHistogram } from '../../../models/gbdt/histogram.ts';
import { HistogramThreads } from '../../../models/gbdt/histogram-threads.ts';
import { seededRandom } from '../../../models/seeded-random.ts';

/** A wide random problem: `cols` columns of which the first few carry the label. */
function wideData(rows: number, cols: number, seed: number) {
  const random = seededRandom(seed);
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[r * cols + c] = c % 7 === 0 ? Math.floor(random() * 5) : random();
    const logit = 2 * data[r * cols + 1]! - data[r * cols + 2]! + 0.3 * data[r * cols]! - 1;
    y[r] = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { x: { rows, cols, data }, y };
}

describe('histograms on several threads', () => {
  it('sums a node into the same histogram as one thread, each thread its own columns', async () => {
    const nRows = 60_000;
    const cols = 90;
    const random = seededRandom(3);
    const bins = Uint8Array.from({ length: nRows * cols }, () => Math.floor(random() * 256));
    const threads = await HistogramThreads.open(bins, nRows, cols, 3, 4);
    expect(threads, 'a matrix this size is worth the threads').toBeDefined();
    try {
      const t = threads!;
      for (let i = 0; i < nRows; i++) {
        t.rows[i] = (i * 7919) % nRows;
        t.orderedGrad[i] = random() - 0.5;
        t.orderedHess[i] = random();
      }
      for (const [start, end] of [
        [0, nRows],
        [1000, 41_000],
      ] as const) {
        const shared = t.takeHistogram()!;
        shared.fill(42); // whatever a reused histogram held
        t.build(shared, start, end);
        const alone = emptyHistogram(cols);
        buildHistogram(alone, bins, nRows, cols, t.rows, start, end, t.orderedGrad, t.orderedHess);
        expect(Array.from(shared)).toEqual(Array.from(alone));
      }
    } finally {
      await threads!.close();
    }
  });

  it('starts no thread for a small matrix or when one is asked for', async () => {
    const bins = new Uint8Array(1000 * 10);
    expect(await HistogramThreads.open(bins, 1000, 10, 4, 4)).toBeUndefined();
    const big = new Uint8Array(100_000 * 50);
    expect(await HistogramThreads.open(big, 100_000, 50, 1, 4)).toBeUndefined();
  });

  it('grows the same trees on two threads as on one', async () => {
    const { x, y } = wideData(50_000, 90, 11);
    const fit = async (threads: number) => {
      const model = new GradientBoostingClassifier({ maxIterations: 8, earlyStopping: false, maxLeafNodes: 15 });
      await model.fit(x, y, { threads });
      return model;
    };
    const [one, two] = [await fit(1), await fit(2)];
    const [a, b] = [await one.toArtifact(), await two.toArtifact()];
    expect(b.meta).toEqual(a.meta);
    expect(Object.keys(b.files)).toEqual(Object.keys(a.files));
    for (const name of Object.keys(a.files))
      expect(Buffer.from(b.files[name]!).equals(Buffer.from(a.files[name]!))).toBe(true);
    const p = await one.predictProba(x);
    expect(await two.predictProba(x)).toEqual(p);
    // Not a degenerate model: the trees split.
    expect(new Set(p).size).toBeGreaterThan(8);
  }, 60_000);
});
