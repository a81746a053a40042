/**
 * The shared test suite every learned `Scorer` passes: fit, predict, explain, save and load,
 * unfitted use, determinism and tensor hygiene. A model's test file calls
 * `describeScorer('name', { create, fromArtifact })`.
 */

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotFittedError } from '../../features/errors.ts';
import type { Matrix } from '../../features/matrix.ts';
import { seededRandom } from '../../models/seeded-random.ts';
import type { Scorer, ScorerArtifact } from '../../models/scorer.ts';
import { useBackend } from '../../models/tf-backend.ts';
import { rocAuc } from '../../training/metrics/ranking.ts';

/** How the suite makes and restores a scorer. */
export interface ScorerFactory {
  /** A fresh, unfitted scorer with settings small enough for fast tests. */
  create(): Scorer;
  /** The scorer's loader (e.g. its static `fromArtifact`). */
  fromArtifact(artifact: ScorerArtifact): Scorer | Promise<Scorer>;
}

/** Standard normal draw (Box-Muller) from a seeded generator. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * A linearly separable-ish synthetic set: 6 features, the label drawn from
 * sigmoid(2 x0 - 1.5 x1 + x2 - 1); x3..x5 are noise. The best possible AUC is about 0.9.
 */
export function syntheticSet(rows: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = seededRandom(seed);
  const cols = 6;
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[r * cols + c] = normal(random);
    const z = 2 * data[r * cols]! - 1.5 * data[r * cols + 1]! + data[r * cols + 2]! - 1;
    y[r] = random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x: { rows, cols, data }, y };
}

/** A copy of an artifact as it comes back from disk: meta through JSON, files as fresh bytes. */
export function reloadedArtifact(artifact: ScorerArtifact): ScorerArtifact {
  const files = Object.fromEntries(
    Object.entries(artifact.files).map(([name, bytes]) => [name, Uint8Array.from(bytes)]),
  );
  return { kind: artifact.kind, meta: JSON.parse(JSON.stringify(artifact.meta)) as Record<string, unknown>, files };
}

/** Registers the shared scorer tests under `describe(name)`. */
export function describeScorer(name: string, factory: ScorerFactory): void {
  describe(`${name} (shared Scorer suite)`, () => {
    const train = syntheticSet(800, 1);
    const validation = syntheticSet(200, 2);
    const test = syntheticSet(400, 3);

    beforeAll(async () => {
      await useBackend('auto');
    });

    it('fits, returns itself, and ranks held-out rows far better than chance', async () => {
      const scorer = factory.create();
      try {
        expect(await scorer.fit(train.x, train.y, { validation, seed: 7 })).toBe(scorer);
        const p = await scorer.predictProba(test.x);
        expect(p).toBeInstanceOf(Float32Array);
        expect(p.length).toBe(test.x.rows);
        for (const v of p) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(rocAuc(test.y, p)).toBeGreaterThan(0.8);
      } finally {
        scorer.dispose();
      }
    });

    it('explains every row and feature with finite numbers, largest on the informative features', async () => {
      const scorer = await factory.create().fit(train.x, train.y, { validation, seed: 7 });
      try {
        const e = await scorer.explain(test.x);
        expect(e.rows).toBe(test.x.rows);
        expect(e.cols).toBe(test.x.cols);
        expect(e.data.length).toBe(test.x.rows * test.x.cols);
        const meanAbs = new Float64Array(e.cols);
        for (let i = 0; i < e.data.length; i++) {
          expect(Number.isFinite(e.data[i]!)).toBe(true);
          meanAbs[i % e.cols]! += Math.abs(e.data[i]!) / e.rows;
        }
        // x0 (weight 2) and x1 (weight -1.5) matter more than any noise column.
        const noise = Math.max(meanAbs[3]!, meanAbs[4]!, meanAbs[5]!);
        expect(meanAbs[0]!).toBeGreaterThan(noise);
        expect(meanAbs[1]!).toBeGreaterThan(noise);
      } finally {
        scorer.dispose();
      }
    });

    it('round-trips through its artifact with identical predictions and explanations', async () => {
      const scorer = await factory.create().fit(train.x, train.y, { validation, seed: 7 });
      const loaded = await factory.fromArtifact(reloadedArtifact(await scorer.toArtifact()));
      try {
        expect(loaded.kind).toBe(scorer.kind);
        expect(await loaded.predictProba(test.x)).toEqual(await scorer.predictProba(test.x));
        expect((await loaded.explain(test.x)).data).toEqual((await scorer.explain(test.x)).data);
      } finally {
        scorer.dispose();
        loaded.dispose();
      }
    });

    it('gives the same predictions for the same seed and data', async () => {
      const a = await factory.create().fit(train.x, train.y, { validation, seed: 11 });
      const b = await factory.create().fit(train.x, train.y, { validation, seed: 11 });
      try {
        expect(await b.predictProba(test.x)).toEqual(await a.predictProba(test.x));
      } finally {
        a.dispose();
        b.dispose();
      }
    });

    it('fits without given validation rows (holding out its own when it early-stops)', async () => {
      const scorer = await factory.create().fit(train.x, train.y, { seed: 3 });
      try {
        expect(rocAuc(test.y, await scorer.predictProba(test.x))).toBeGreaterThan(0.8);
      } finally {
        scorer.dispose();
      }
    });

    it('throws NotFittedError when used before fit', async () => {
      const scorer = factory.create();
      await expect(scorer.predictProba(test.x)).rejects.toThrow(NotFittedError);
      await expect(scorer.explain(test.x)).rejects.toThrow(NotFittedError);
      await expect(scorer.toArtifact()).rejects.toThrow(NotFittedError);
      scorer.dispose();
    });

    it('rejects a matrix of another width than it was fitted on', async () => {
      const scorer = await factory.create().fit(train.x, train.y, { validation, seed: 7 });
      try {
        const narrow: Matrix = { rows: 2, cols: 5, data: new Float32Array(10) };
        await expect(scorer.predictProba(narrow)).rejects.toThrow();
      } finally {
        scorer.dispose();
      }
    });

    it('leaves no tensors behind after fit, refit, predict, explain, save, load and dispose (twice), and is unusable after', async () => {
      const before = tf.memory().numTensors;
      const scorer = factory.create();
      await scorer.fit(train.x, train.y, { validation, seed: 5 });
      await scorer.fit(validation.x, validation.y, { seed: 6 });
      await scorer.predictProba(test.x);
      await scorer.explain(test.x);
      const loaded = await factory.fromArtifact(await scorer.toArtifact());
      await loaded.predictProba(test.x);
      await loaded.explain(test.x);
      loaded.dispose();
      scorer.dispose();
      scorer.dispose();
      expect(tf.memory().numTensors).toBe(before);
      await expect(scorer.predictProba(test.x)).rejects.toThrow();
    });
  });
}
