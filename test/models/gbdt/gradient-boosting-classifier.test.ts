import { describe, expect, it } from 'vitest';
import { InputError, NotFittedError } from '../../../features/errors.ts';
import { GradientBoostingClassifier } from '../../../models/gbdt/gradient-boosting-classifier.ts';
import { accuracy, matrix, xorData } from './fixtures.ts';

const train = xorData(2000, 1);
const test = xorData(1000, 2);

describe('GradientBoostingClassifier', () => {
  it('learns an XOR interaction that no single column (and so no linear score) shows', async () => {
    const model = await new GradientBoostingClassifier().fit(train.x, train.y);
    expect(accuracy(test.y, await model.predictProba(test.x))).toBeGreaterThan(0.95);
    // Sanity of the fixture: either column alone is no better than a coin.
    const col0 = Float32Array.from({ length: test.x.rows }, (_, r) => (test.x.data[r * 3]! > 0 ? 1 : 0));
    expect(accuracy(test.y, col0)).toBeLessThan(0.56);
  });

  it('fit returns the model itself and probabilities lie in [0, 1]', async () => {
    const model = new GradientBoostingClassifier({ maxIterations: 5 });
    expect(await model.fit(train.x, train.y)).toBe(model);
    const p = await model.predictProba(test.x);
    expect(p.length).toBe(test.x.rows);
    expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('throws NotFittedError before fit', async () => {
    const model = new GradientBoostingClassifier();
    await expect(model.predictProba(test.x)).rejects.toBeInstanceOf(NotFittedError);
    await expect(model.explain(test.x)).rejects.toBeInstanceOf(NotFittedError);
    await expect(model.toArtifact()).rejects.toBeInstanceOf(NotFittedError);
  });

  it('cannot be used after dispose', async () => {
    const model = await new GradientBoostingClassifier({ maxIterations: 3 }).fit(train.x, train.y);
    model.dispose();
    await expect(model.predictProba(test.x)).rejects.toThrow(/disposed/);
  });

  it('rejects unknown or invalid options with an InputError naming the field', () => {
    expect(() => new GradientBoostingClassifier({ maxBins: 300 })).toThrow(InputError);
    expect(() => new GradientBoostingClassifier({ maxBins: 300 })).toThrow(/maxBins/);
    expect(() => new GradientBoostingClassifier({ depth: 3 } as never)).toThrow(/depth/);
  });

  it('refuses labels other than 0 and 1, and empty data', async () => {
    await expect(new GradientBoostingClassifier().fit(matrix([[1], [2]]), Uint8Array.of(0, 2))).rejects.toThrow(
      /row index 1 is 2/,
    );
    await expect(
      new GradientBoostingClassifier().fit({ rows: 0, cols: 1, data: new Float32Array(0) }, new Uint8Array(0)),
    ).rejects.toThrow(InputError);
  });

  it('learns from missing values: a missing x0 means conversion', async () => {
    const rows: number[][] = [];
    const y = new Uint8Array(600);
    for (let i = 0; i < 600; i++) {
      const missing = i % 3 === 0;
      rows.push([missing ? NaN : (i % 7) / 7]);
      y[i] = missing ? 1 : 0;
    }
    const model = await new GradientBoostingClassifier({ earlyStopping: false, maxIterations: 50 }).fit(
      matrix(rows),
      y,
    );
    const [pMissing, pPresent] = await model.predictProba(matrix([[NaN], [0.5]]));
    expect(pMissing).toBeGreaterThan(0.9);
    expect(pPresent).toBeLessThan(0.1);
  });

  it('sends missing values at prediction the bigger way when training had none', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => [i < 300 ? 0 : 1]);
    const y = Uint8Array.from(rows, (r) => (r[0] === 0 ? 1 : 0));
    const model = await new GradientBoostingClassifier({ earlyStopping: false, maxIterations: 30 }).fit(
      matrix(rows),
      y,
    );
    const [pMissing] = await model.predictProba(matrix([[NaN]]));
    expect(pMissing).toBeGreaterThan(0.9);
  });

  it('explains each row exactly: contributions plus baseLogit give the logit', async () => {
    const model = await new GradientBoostingClassifier().fit(train.x, train.y);
    const sample = matrix(Array.from({ length: 50 }, (_, r) => [...test.x.data.subarray(r * 3, r * 3 + 3)]));
    sample.data[4] = NaN;
    const logits = model.predictLogit(sample);
    const contributions = await model.explain(sample);
    expect(contributions.rows).toBe(50);
    expect(contributions.cols).toBe(3);
    for (let r = 0; r < 50; r++) {
      const c = contributions.data.subarray(r * 3, r * 3 + 3);
      expect(model.baseLogit + c[0]! + c[1]! + c[2]!).toBeCloseTo(logits[r]!, 4);
    }
    // The noise column matters far less than the two XOR columns.
    const size = [0, 1, 2].map((f) =>
      contributions.data.filter((_, i) => i % 3 === f).reduce((s, v) => s + Math.abs(v), 0),
    );
    expect(size[2]!).toBeLessThan(size[0]! / 5);
  });

  it('gives identical results for the same seed', async () => {
    const a = await new GradientBoostingClassifier().fit(train.x, train.y, { seed: 3 });
    const b = await new GradientBoostingClassifier().fit(train.x, train.y, { seed: 3 });
    expect([...(await b.predictProba(test.x))]).toEqual([...(await a.predictProba(test.x))]);
    expect(b.validationLoss).toEqual(a.validationLoss);
  });

  it('stops early on the validation set it is given and reports progress', async () => {
    const seen: { epoch: number; valLoss?: number }[] = [];
    const model = await new GradientBoostingClassifier({ maxIterations: 500, nIterNoChange: 5 }).fit(train.x, train.y, {
      validation: test,
      onProgress: (p) => seen.push(p),
    });
    expect(seen.length).toBeLessThan(500);
    expect(seen.every((p) => typeof p.valLoss === 'number')).toBe(true);
    // Trees are cut back to the round with the lowest validation loss.
    const best = Math.min(...model.validationLoss);
    expect(model.treeCount).toBe(model.validationLoss.indexOf(best) + 1);
  });

  it('refits on training plus validation rows for as many rounds, scaled to the rows', async () => {
    const small = xorData(800, 7);
    const validation = xorData(200, 8);
    const once = await new GradientBoostingClassifier().fit(small.x, small.y, { validation });
    const refit = await new GradientBoostingClassifier({ refit: true }).fit(small.x, small.y, { validation });
    expect(refit.treeCount).toBe(Math.round((once.treeCount * 1000) / 800));
    expect(refit.validationLoss).toEqual(once.validationLoss);
    expect(accuracy(test.y, await refit.predictProba(test.x))).toBeGreaterThan(0.9);
  });

  it('raises probabilities of the rare class when weighted balanced', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [i % 10]);
    const y = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 && i % 20 === 0 ? 1 : 0));
    const opts = { earlyStopping: false, maxIterations: 100 } as const;
    const plain = await new GradientBoostingClassifier(opts).fit(matrix(rows), y);
    const weighted = await new GradientBoostingClassifier({ ...opts, classWeight: 'balanced' }).fit(matrix(rows), y);
    const x = matrix([[0], [5]]);
    const [p0, p5] = await plain.predictProba(x);
    const [w0, w5] = await weighted.predictProba(x);
    expect(p0).toBeCloseTo(0.5, 1);
    expect(w0!).toBeGreaterThan(p0!);
    expect(w5!).toBeGreaterThan(p5!);
  });

  it('splits categorical codes by subset: codes 0 and 2 convert, 1 and 3 do not', async () => {
    const rows = Array.from({ length: 800 }, (_, i) => [i % 4]);
    const y = Uint8Array.from(rows, (r) => (r[0]! % 2 === 0 ? 1 : 0));
    // A single stump: only a subset split can separate {0, 2} from {1, 3}.
    const opts = { earlyStopping: false, maxIterations: 1, maxLeafNodes: 2, learningRate: 1 } as const;
    const model = await new GradientBoostingClassifier({ ...opts, categoricalFeatures: [0] }).fit(matrix(rows), y);
    expect(accuracy(y, await model.predictProba(matrix(rows)))).toBe(1);
    const ordinal = await new GradientBoostingClassifier(opts).fit(matrix(rows), y);
    expect(accuracy(y, await ordinal.predictProba(matrix(rows)))).toBeLessThanOrEqual(0.75);
  });
});
