import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier } from '../../../models/gbdt/gradient-boosting-classifier.ts';
import { addTreeShap, expectedValue, ShapScratch, treeDepth } from '../../../models/gbdt/tree-shap.ts';
import { TreeBuilder, goesLeft, type Tree } from '../../../models/gbdt/tree.ts';
import { matrix, xorData } from './fixtures.ts';

/**
 * A tree over 3 columns that splits on column 0 twice along one path:
 *   0: col0 <= 1 ? 1 : 2                   (100 rows)
 *   1: col1 <= 0 ? 3 : 4                   (60)
 *   2: col0 <= 2 ? 5 : 6                   (40)
 *   4: col2 <= 0 ? 7 : 8                   (45)
 *   leaves 3 (15): -1, 5 (10): 2, 6 (30): 0.5, 7 (20): 3, 8 (25): -2
 */
function handTree(): Tree {
  const b = new TreeBuilder();
  const n = [b.addLeaf(0.1, 100), b.addLeaf(0.2, 60), b.addLeaf(-0.3, 40)];
  b.split(n[0]!, 0, { threshold: 1, missingLeft: false }, n[1]!, n[2]!);
  const l3 = b.addLeaf(-1, 15);
  const n4 = b.addLeaf(0.4, 45);
  b.split(n[1]!, 1, { threshold: 0, missingLeft: true }, l3, n4);
  const l5 = b.addLeaf(2, 10);
  const l6 = b.addLeaf(0.5, 30);
  b.split(n[2]!, 0, { threshold: 2, missingLeft: false }, l5, l6);
  const l7 = b.addLeaf(3, 20);
  const l8 = b.addLeaf(-2, 25);
  b.split(n4, 2, { threshold: 0, missingLeft: false }, l7, l8);
  return b.build();
}

/** E[tree | the columns in `known` take the row's values], unknown ones integrated out by cover. */
function conditional(tree: Tree, row: Uint8Array, known: Set<number>, node = 0): number {
  const f = tree.feature[node]!;
  if (f < 0) return tree.value[node]!;
  const l = tree.left[node]!;
  const r = tree.right[node]!;
  if (known.has(f)) return conditional(tree, row, known, goesLeft(tree, node, row[f]!) ? l : r);
  return (
    (tree.count[l]! * conditional(tree, row, known, l) + tree.count[r]! * conditional(tree, row, known, r)) /
    tree.count[node]!
  );
}

/** Shapley values by enumerating every coalition. */
function bruteForceShap(tree: Tree, row: Uint8Array, cols: number): number[] {
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  return Array.from({ length: cols }, (_, i) => {
    let phi = 0;
    for (let mask = 0; mask < 1 << cols; mask++) {
      if (mask & (1 << i)) continue;
      const s = new Set([...Array(cols).keys()].filter((c) => mask & (1 << c)));
      const weight = (fact(s.size) * fact(cols - s.size - 1)) / fact(cols);
      phi += weight * (conditional(tree, row, new Set([...s, i])) - conditional(tree, row, s));
    }
    return phi;
  });
}

describe('tree SHAP', () => {
  const tree = handTree();

  it('finds the expected value and depth by hand', () => {
    // (15 * -1 + 10 * 2 + 30 * 0.5 + 20 * 3 + 25 * -2) / 100
    expect(expectedValue(tree)).toBeCloseTo(0.3, 12);
    expect(treeDepth(tree)).toBe(3);
  });

  it('matches Shapley values computed over every coalition, for rows down every path', () => {
    const rows = [
      [0, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
      [2, 0, 1],
      [3, 1, 0],
      [0, 255, 1],
    ];
    for (const r of rows) {
      const bins = Uint8Array.from(r);
      const out = new Float64Array(3);
      addTreeShap(tree, bins, 0, out, new ShapScratch(treeDepth(tree)));
      const expected = bruteForceShap(tree, bins, 3);
      out.forEach((v, c) => expect(v).toBeCloseTo(expected[c]!, 10));
    }
  });

  it('explains a fitted model exactly with SHAP too', async () => {
    const train = xorData(1500, 3);
    const model = await new GradientBoostingClassifier({ explanation: 'shap' }).fit(train.x, train.y);
    const x = matrix(Array.from({ length: 40 }, (_, r) => [...train.x.data.subarray(r * 3, r * 3 + 3)]));
    const c = await model.explain(x);
    const z = model.predictLogit(x);
    for (let r = 0; r < 40; r++) {
      expect(model.baseLogit + c.data[r * 3]! + c.data[r * 3 + 1]! + c.data[r * 3 + 2]!).toBeCloseTo(z[r]!, 4);
    }
    const size = [0, 1, 2].map((f) => c.data.filter((_, i) => i % 3 === f).reduce((s, v) => s + Math.abs(v), 0));
    expect(size[2]!).toBeLessThan(size[0]! / 5);
  });
});
