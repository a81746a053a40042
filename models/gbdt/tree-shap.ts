/**
 * Exact SHAP values of one tree (Lundberg et al. 2018, "Consistent individualized feature
 * attribution for tree ensembles", algorithm 2): each feature's average marginal effect
 * over all feature orders, with absent features integrated out by training-row cover.
 * Unlike path attribution, credit does not pile onto features split near the root.
 */

import { goesLeft, type Tree } from './tree.ts';

/** Cover-weighted mean leaf value: the tree's output when no feature is known. */
export function expectedValue(tree: Tree): number {
  let sum = 0;
  for (let k = 0; k < tree.feature.length; k++) {
    if (tree.feature[k]! < 0) sum += tree.value[k]! * tree.count[k]!;
  }
  return tree.count[0]! > 0 ? sum / tree.count[0]! : tree.value[0]!;
}

/** Depth of the deepest leaf (root = 0). */
export function treeDepth(tree: Tree, node = 0): number {
  if (tree.feature[node]! < 0) return 0;
  return 1 + Math.max(treeDepth(tree, tree.left[node]!), treeDepth(tree, tree.right[node]!));
}

/** Working memory for `addTreeShap`: the unique paths of every depth, stacked. */
export class ShapScratch {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;

  /** Room for trees up to `maxDepth` deep. */
  constructor(readonly maxDepth: number) {
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

function extendPath(s: ShapScratch, p: number, depth: number, zero: number, one: number, feature: number): void {
  s.feature[p + depth] = feature;
  s.zero[p + depth] = zero;
  s.one[p + depth] = one;
  s.weight[p + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    s.weight[p + i + 1]! += (one * s.weight[p + i]! * (i + 1)) / (depth + 1);
    s.weight[p + i] = (zero * s.weight[p + i]! * (depth - i)) / (depth + 1);
  }
}

function unwindPath(s: ShapScratch, p: number, depth: number, index: number): void {
  const one = s.one[p + index]!;
  const zero = s.zero[p + index]!;
  let next = s.weight[p + depth]!;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = s.weight[p + i]!;
      s.weight[p + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (s.weight[p + i]! * zero * (depth - i)) / (depth + 1);
    } else {
      s.weight[p + i] = (s.weight[p + i]! * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    s.feature[p + i] = s.feature[p + i + 1]!;
    s.zero[p + i] = s.zero[p + i + 1]!;
    s.one[p + i] = s.one[p + i + 1]!;
  }
}

function unwoundPathSum(s: ShapScratch, p: number, depth: number, index: number): number {
  const one = s.one[p + index]!;
  const zero = s.zero[p + index]!;
  let next = s.weight[p + depth]!;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = s.weight[p + i]! - (tmp * zero * (depth - i)) / (depth + 1);
    } else {
      total += s.weight[p + i]! / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

/**
 * Adds the SHAP values of the binned row at `bins[offset]` to `out` (one per column). They
 * sum to the tree's output for the row minus `expectedValue(tree)`.
 */
export function addTreeShap(tree: Tree, bins: Uint8Array, offset: number, out: Float64Array, s: ShapScratch): void {
  recurse(tree, bins, offset, out, s, 0, 0, 0, 1, 1, -1);
}

function recurse(
  tree: Tree,
  bins: Uint8Array,
  offset: number,
  out: Float64Array,
  s: ShapScratch,
  node: number,
  parentPath: number,
  depth: number,
  zero: number,
  one: number,
  feature: number,
): void {
  // Each level works on its own copy of the path, stacked right after its parent's.
  const p = parentPath + depth + 1;
  for (let i = 0; i < depth; i++) {
    s.feature[p + i] = s.feature[parentPath + i]!;
    s.zero[p + i] = s.zero[parentPath + i]!;
    s.one[p + i] = s.one[parentPath + i]!;
    s.weight[p + i] = s.weight[parentPath + i]!;
  }
  extendPath(s, p, depth, zero, one, feature);
  const f = tree.feature[node]!;
  if (f < 0) {
    const v = tree.value[node]!;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(s, p, depth, i);
      out[s.feature[p + i]!]! += w * (s.one[p + i]! - s.zero[p + i]!) * v;
    }
    return;
  }
  const left = goesLeft(tree, node, bins[offset + f]!);
  const hot = left ? tree.left[node]! : tree.right[node]!;
  const cold = left ? tree.right[node]! : tree.left[node]!;
  const cover = tree.count[node]!;
  let inZero = 1;
  let inOne = 1;
  let d = depth;
  // A feature already on the path is unwound and re-entered with the fractions combined.
  for (let k = 1; k <= d; k++) {
    if (s.feature[p + k] === f) {
      inZero = s.zero[p + k]!;
      inOne = s.one[p + k]!;
      unwindPath(s, p, d, k);
      d--;
      break;
    }
  }
  recurse(tree, bins, offset, out, s, hot, p, d + 1, (tree.count[hot]! / cover) * inZero, inOne, f);
  recurse(tree, bins, offset, out, s, cold, p, d + 1, (tree.count[cold]! / cover) * inZero, 0, f);
}
