import { describe, expect, it } from 'vitest';
import { InputError } from '../../../features/errors.ts';
import type { FeatureSpec } from '../../../features/feature-spec.ts';
import { GradientBoostingClassifier } from '../../../models/gbdt/gradient-boosting-classifier.ts';
import { detectOneHotGroups, OneHotCollapser, oneHotGroupsOf } from '../../../models/gbdt/one-hot-collapser.ts';
import { accuracy, matrix } from './fixtures.ts';

describe('oneHotGroupsOf', () => {
  it('finds each categorical encoder as vocabulary + other + missing columns', () => {
    const spec: FeatureSpec = {
      version: 1,
      referenceAsOf: null,
      missingValues: [],
      encoders: [
        {
          kind: 'numeric',
          source: 'n',
          label: 'n',
          transform: 'none',
          median: 0,
          mean: 0,
          std: 1,
          missingIndicator: true,
        },
        { kind: 'categorical', source: 'c', label: 'c', vocabulary: ['a', 'b'] },
        { kind: 'boolean', source: 'b', label: 'b', missingIndicator: false },
        { kind: 'categorical', source: 'd', label: 'd', vocabulary: [] },
      ],
    };
    // n, n.missing | c=a, c=b, c=(other), c=(missing) | b | d=(other), d=(missing)
    expect(oneHotGroupsOf(spec)).toEqual([
      { start: 2, end: 6 },
      { start: 7, end: 9 },
    ]);
  });
});

describe('detectOneHotGroups', () => {
  it('finds runs of 0/1 columns with exactly one 1 per row, next to flags and other groups', () => {
    // flag | a b c | 2.5-valued | p q | flag that is sometimes 0 with r: no group
    const x = matrix([
      [1, 1, 0, 0, 2.5, 1, 0, 0, 0],
      [0, 0, 1, 0, 1.0, 0, 1, 1, 0],
      [1, 0, 0, 1, 0.0, 1, 0, 0, 0],
      [0, 0, 1, 0, 3.0, 0, 1, 0, 1],
    ]);
    expect(detectOneHotGroups(x)).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 7 },
    ]);
  });

  it('finds nothing in numbers or in columns that are never exclusive', () => {
    expect(
      detectOneHotGroups(
        matrix([
          [0.5, 1],
          [1, 0],
        ]),
      ),
    ).toEqual([]);
    expect(
      detectOneHotGroups(
        matrix([
          [1, 1],
          [0, 1],
        ]),
      ),
    ).toEqual([]);
  });
});

describe('OneHotCollapser', () => {
  const layout = new OneHotCollapser(5, [{ start: 1, end: 4 }]);
  const x = matrix([
    [7, 0, 1, 0, 9],
    [8, 0, 0, 0, 10],
  ]);

  it('replaces a group by the position of its hot column, NaN when none is hot', () => {
    const inner = layout.collapse(x);
    expect(inner.cols).toBe(3);
    expect([...inner.data]).toEqual([7, 1, 9, 8, NaN, 10]);
    expect(layout.inner(0)).toBe(0);
    expect(layout.inner(2)).toBe(1);
    expect(layout.inner(4)).toBe(2);
    expect(layout.groupColumns()).toEqual([1]);
  });

  it("hands a group's contribution to the row's hot column", () => {
    const out = new Float32Array(5);
    layout.spread(Float64Array.of(0.5, -2, 3), x, 0, out, 0);
    expect([...out]).toEqual([0.5, 0, -2, 0, 3]);
  });

  it('rejects groups that overlap, leave the matrix or hold one column', () => {
    expect(
      () =>
        new OneHotCollapser(5, [
          { start: 0, end: 3 },
          { start: 2, end: 4 },
        ]),
    ).toThrow(InputError);
    expect(() => new OneHotCollapser(5, [{ start: 3, end: 6 }])).toThrow(/oneHotGroups\[0\]/);
    expect(() => new OneHotCollapser(5, [{ start: 3, end: 4 }])).toThrow(InputError);
  });
});

describe('GradientBoostingClassifier with one-hot groups', () => {
  // Column 0 is noise; columns 1-4 one-hot a category of which 0 and 2 convert.
  const rows = Array.from({ length: 800 }, (_, i) => {
    const row = [(i * 7) % 11, 0, 0, 0, 0];
    row[1 + (i % 4)] = 1;
    return row;
  });
  const x = matrix(rows);
  const y = Uint8Array.from({ length: 800 }, (_, i) => (i % 2 === 0 ? 1 : 0));
  const stump = { earlyStopping: false, maxIterations: 1, maxLeafNodes: 2, learningRate: 1 } as const;

  it('splits the group by category subset in one split, which single indicators cannot', async () => {
    const grouped = await new GradientBoostingClassifier({ ...stump, oneHotGroups: [{ start: 1, end: 5 }] }).fit(x, y);
    expect(accuracy(y, await grouped.predictProba(x))).toBe(1);
    const plain = await new GradientBoostingClassifier({ ...stump, oneHotGroups: [] }).fit(x, y);
    expect(accuracy(y, await plain.predictProba(x))).toBeLessThanOrEqual(0.75);
  });

  it('finds the group by itself by default', async () => {
    const auto = await new GradientBoostingClassifier(stump).fit(x, y);
    expect(accuracy(y, await auto.predictProba(x))).toBe(1);
    expect((await auto.toArtifact()).meta.oneHotGroups).toEqual([{ start: 1, end: 5 }]);
  });

  it("explains in the caller's columns: contributions sum to the logit, only hot columns get any", async () => {
    const model = await new GradientBoostingClassifier({ oneHotGroups: [{ start: 1, end: 5 }] }).fit(x, y);
    const c = await model.explain(x);
    const z = model.predictLogit(x);
    for (let r = 0; r < 8; r++) {
      const row = [...c.data.subarray(r * 5, r * 5 + 5)];
      expect(model.baseLogit + row.reduce((a, b) => a + b, 0)).toBeCloseTo(z[r]!, 4);
      row.slice(1).forEach((v, k) => {
        if (k !== r % 4) expect(v).toBe(0);
      });
    }
    const again = GradientBoostingClassifier.fromArtifact(await model.toArtifact());
    expect([...(await again.predictProba(x))]).toEqual([...(await model.predictProba(x))]);
  });
});
