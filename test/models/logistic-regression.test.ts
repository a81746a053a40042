import { describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { LogisticRegression } from '../../models/logistic-regression.ts';
import { describeScorer, reloadedArtifact, syntheticSet } from './scorer-suite.ts';

describeScorer('LogisticRegression', {
  create: () => new LogisticRegression(),
  fromArtifact: (artifact) => LogisticRegression.fromArtifact(artifact),
});

describeScorer('LogisticRegression with early stopping', {
  create: () => new LogisticRegression({ earlyStopping: true, classWeight: 'balanced' }),
  fromArtifact: (artifact) => LogisticRegression.fromArtifact(artifact),
});

describe('LogisticRegression', () => {
  const train = syntheticSet(600, 21);

  it('reaches the penalised optimum: X^T (p - y) + l2 w = 0 and sum(p - y) = 0', async () => {
    const l2 = 5;
    const model = await new LogisticRegression({ l2, earlyStopping: false, tolerance: 1e-7 }).fit(train.x, train.y);
    const w = model.coefficients;
    const b = model.baseLogit;
    const grad = new Float64Array(train.x.cols + 1);
    for (let r = 0; r < train.x.rows; r++) {
      let z = b;
      for (let c = 0; c < train.x.cols; c++) z += w[c]! * train.x.data[r * train.x.cols + c]!;
      const residual = 1 / (1 + Math.exp(-z)) - train.y[r]!;
      for (let c = 0; c < train.x.cols; c++) grad[c]! += residual * train.x.data[r * train.x.cols + c]!;
      grad[train.x.cols]! += residual;
    }
    for (let c = 0; c < train.x.cols; c++) grad[c]! += l2 * w[c]!;
    // Summed over 600 rows; float32 arithmetic leaves a little slack.
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(0.02);
    // The true weights are 2, -1.5, 1 on x0..x2; the penalty shrinks them but keeps the signs.
    expect(w[0]!).toBeGreaterThan(1);
    expect(w[1]!).toBeLessThan(-0.7);
    expect(w[2]!).toBeGreaterThan(0.4);
    model.dispose();
  });

  it('explains exactly: contributions are w_j * x_j and add up to the logit minus the bias', async () => {
    const model = await new LogisticRegression({ earlyStopping: false }).fit(train.x, train.y);
    const rows = { rows: 2, cols: 6, data: Float32Array.from([1, 0, 0, 0, 0, 2, -1, 0.5, 0, 0, 0, 0]) };
    const e = await model.explain(rows);
    const w = model.coefficients;
    expect(e.data[0]).toBeCloseTo(w[0]!, 6);
    expect(e.data[5]).toBeCloseTo(2 * w[5]!, 6);
    expect(e.data[6]).toBeCloseTo(-w[0]!, 6);
    expect(e.data[7]).toBeCloseTo(0.5 * w[1]!, 6);
    const logits = await model.predictLogit(rows);
    for (let r = 0; r < 2; r++) {
      const sum = e.data.subarray(r * 6, r * 6 + 6).reduce((a, v) => a + v, 0);
      expect(sum + model.baseLogit).toBeCloseTo(logits[r]!, 5);
    }
    model.dispose();
  });

  it('shrinks every weight towards zero under a heavy penalty', async () => {
    const model = await new LogisticRegression({ l2: 1e6, earlyStopping: false }).fit(train.x, train.y);
    for (const w of model.coefficients) expect(Math.abs(w)).toBeLessThan(0.01);
    model.dispose();
  });

  it('class weights move the bias condition: the weighted mean prediction equals the weighted positive rate', async () => {
    const rare = syntheticSet(600, 5);
    // Keep about one positive in ten.
    rare.y = rare.y.map((v, i) => (v && i % 4 === 0 ? 1 : 0));
    const positives = rare.y.reduce((a, v) => a + v, 0);
    const n = rare.y.length;
    const plain = await new LogisticRegression({ earlyStopping: false, tolerance: 1e-7 }).fit(rare.x, rare.y);
    const weighted = await new LogisticRegression({
      earlyStopping: false,
      tolerance: 1e-7,
      classWeight: 'balanced',
    }).fit(rare.x, rare.y);
    // The unpenalised bias makes sum_i s_i (p_i - y_i) = 0. Unweighted: mean p = positive rate.
    const p = await plain.predictProba(rare.x);
    expect(p.reduce((a, v) => a + v, 0) / n).toBeCloseTo(positives / n, 3);
    // Balanced (s = n / (2 * class count)): the weighted mean of p is 1/2.
    const q = await weighted.predictProba(rare.x);
    let weightedSum = 0;
    for (let i = 0; i < n; i++) weightedSum += (rare.y[i] ? n / (2 * positives) : n / (2 * (n - positives))) * q[i]!;
    expect(weightedSum / n).toBeCloseTo(0.5, 3);
    plain.dispose();
    weighted.dispose();
  });

  it('records validation loss per iteration only when early stopping', async () => {
    const validation = syntheticSet(200, 8);
    const stopped = await new LogisticRegression({ earlyStopping: true }).fit(train.x, train.y, { validation });
    expect(stopped.validationLoss.length).toBeGreaterThan(0);
    expect(Math.min(...stopped.validationLoss)).toBeLessThan(0.69);
    const full = await new LogisticRegression({ earlyStopping: false }).fit(train.x, train.y, { validation });
    expect(full.validationLoss).toEqual([]);
    stopped.dispose();
    full.dispose();
  });

  it('rejects unknown or invalid options with InputError naming the field', () => {
    expect(() => new LogisticRegression({ l2: -1 })).toThrow(/logistic regression options: l2/);
    expect(() => new LogisticRegression({ C: 1 } as never)).toThrow(InputError);
  });

  it('rejects an artifact whose weights do not match its feature count', async () => {
    const model = await new LogisticRegression({ earlyStopping: false }).fit(train.x, train.y);
    const artifact = reloadedArtifact(await model.toArtifact());
    model.dispose();
    await expect(LogisticRegression.fromArtifact({ ...artifact, meta: { ...artifact.meta, cols: 7 } })).rejects.toThrow(
      /weight "kernel" has shape \[6, 1\], expected \[7, 1\]/,
    );
    await expect(LogisticRegression.fromArtifact({ ...artifact, files: {} })).rejects.toThrow(
      /weights file is missing/,
    );
    await expect(LogisticRegression.fromArtifact({ ...artifact, kind: 'mlp' })).rejects.toThrow(InputError);
  });
});
