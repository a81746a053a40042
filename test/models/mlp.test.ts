import { describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import type { Matrix } from '../../features/matrix.ts';
import { seededRandom } from '../../models/seeded-random.ts';
import { LogisticRegression } from '../../models/logistic-regression.ts';
import { Mlp } from '../../models/mlp.ts';
import { rocAuc } from '../../training/metrics/ranking.ts';
import { describeScorer, reloadedArtifact, syntheticSet } from './scorer-suite.ts';

const small = { hiddenUnits: [16], batchSize: 64, maxEpochs: 60, learningRate: 0.01 };

describeScorer('Mlp', {
  create: () => new Mlp(small),
  fromArtifact: (artifact) => Mlp.fromArtifact(artifact),
});

/** y = 1 when x0 and x1 share a sign: no linear score beats chance, two hidden units suffice. */
function xor(n: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = seededRandom(seed);
  const data = new Float32Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    data[2 * i] = random() * 2 - 1;
    data[2 * i + 1] = random() * 2 - 1;
    y[i] = data[2 * i]! * data[2 * i + 1]! > 0 ? 1 : 0;
  }
  return { x: { rows: n, cols: 2, data }, y };
}

describe('Mlp', () => {
  it('learns XOR, which logistic regression cannot', async () => {
    const train = xor(1000, 1);
    const test = xor(400, 2);
    const mlp = await new Mlp({ hiddenUnits: [16, 8], batchSize: 32, learningRate: 0.01, dropout: 0 }).fit(
      train.x,
      train.y,
    );
    const lr = await new LogisticRegression().fit(train.x, train.y);
    expect(rocAuc(test.y, await mlp.predictProba(test.x))).toBeGreaterThan(0.95);
    expect(rocAuc(test.y, await lr.predictProba(test.x))).toBeLessThan(0.65);
    mlp.dispose();
    lr.dispose();
  });

  it('explains by gradient x input, matching a finite-difference slope', async () => {
    const train = syntheticSet(600, 4);
    const model = await new Mlp({ ...small, activation: 'tanh' }).fit(train.x, train.y);
    const row = Float32Array.from([0.3, -0.8, 1.1, 0.2, -0.4, 0.9]);
    const e = await model.explain({ rows: 1, cols: 6, data: row });
    const h = 1e-2;
    for (let j = 0; j < 6; j++) {
      const up = Float32Array.from(row);
      const down = Float32Array.from(row);
      up[j]! += h;
      down[j]! -= h;
      const [zUp, zDown] = await model.predictLogit({ rows: 2, cols: 6, data: Float32Array.from([...up, ...down]) });
      expect(e.data[j]).toBeCloseTo(((zUp! - zDown!) / (2 * h)) * row[j]!, 2);
    }
    model.dispose();
  });

  it('stops early and keeps the best epoch', async () => {
    const train = syntheticSet(400, 9);
    const validation = syntheticSet(200, 10);
    const model = await new Mlp({ ...small, maxEpochs: 200, patience: 3 }).fit(train.x, train.y, { validation });
    const losses = model.validationLoss;
    expect(losses.length).toBeLessThan(200);
    expect(model.epochs).toBe(losses.indexOf(Math.min(...losses)) + 1);
    model.dispose();
  });

  it('rejects invalid options with InputError naming the field', () => {
    expect(() => new Mlp({ hiddenUnits: [8, 8, 8] })).toThrow(/mlp options: hiddenUnits/);
    expect(() => new Mlp({ dropout: 1 })).toThrow(InputError);
  });

  it('rejects an artifact whose weights do not match its layers', async () => {
    const train = syntheticSet(300, 12);
    const model = await new Mlp(small).fit(train.x, train.y);
    const artifact = reloadedArtifact(await model.toArtifact());
    model.dispose();
    const options = { ...(artifact.meta.options as object), hiddenUnits: [8] };
    await expect(Mlp.fromArtifact({ ...artifact, meta: { ...artifact.meta, options } })).rejects.toThrow(
      /weight "dense0\/kernel" has shape \[6, 16\], expected \[6, 8\]/,
    );
    await expect(Mlp.fromArtifact({ ...artifact, files: { 'weights.bin': new Uint8Array(12) } })).rejects.toThrow(
      /weights file has 12 bytes/,
    );
  });
});
