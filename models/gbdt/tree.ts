/**
 * One regression tree over binned features, stored as parallel typed arrays (node 0 is the
 * root). Every node keeps its value, not only leaves, so contributions can be read off a path.
 */

import { MISSING_BIN } from './feature-binner.ts';

/** Words in one categorical split's bitset: 256 bins / 32. */
export const BITSET_WORDS = 8;

export interface Tree {
  /** Split column per node; -1 marks a leaf. */
  feature: Int32Array;
  /** Numeric splits: bins <= threshold go left. */
  threshold: Uint8Array;
  /** Numeric splits: 1 when the missing bin goes left. */
  missingLeft: Uint8Array;
  /** Categorical splits: index of the node's bitset in `bitsets`, else -1. */
  bitset: Int32Array;
  left: Int32Array;
  right: Int32Array;
  /** The node's value on the logit scale (learning rate applied). */
  value: Float64Array;
  /** Training rows that reached the node. */
  count: Uint32Array;
  /** Categorical bitsets, `BITSET_WORDS` words each; a set bit sends that bin left. */
  bitsets: Uint32Array;
}

/** Whether bin `b` goes to the left child of internal node `node`. */
export function goesLeft(tree: Tree, node: number, b: number): boolean {
  const set = tree.bitset[node]!;
  if (set >= 0) return ((tree.bitsets[set * BITSET_WORDS + (b >>> 5)]! >>> (b & 31)) & 1) === 1;
  if (b === MISSING_BIN) return tree.missingLeft[node] === 1;
  return b <= tree.threshold[node]!;
}

/** The leaf reached by the binned row starting at `bins[offset]`. */
export function leafOf(tree: Tree, bins: Uint8Array, offset: number): number {
  let node = 0;
  let f = tree.feature[0]!;
  while (f >= 0) {
    node = goesLeft(tree, node, bins[offset + f]!) ? tree.left[node]! : tree.right[node]!;
    f = tree.feature[node]!;
  }
  return node;
}

/** Adds each split's change in node value to the split column of `out` (Saabas attribution). */
export function addPathContributions(tree: Tree, bins: Uint8Array, offset: number, out: Float64Array): void {
  let node = 0;
  let f = tree.feature[0]!;
  while (f >= 0) {
    const child = goesLeft(tree, node, bins[offset + f]!) ? tree.left[node]! : tree.right[node]!;
    out[f] = out[f]! + tree.value[child]! - tree.value[node]!;
    node = child;
    f = tree.feature[node]!;
  }
}

/** Growable node storage that becomes a `Tree`. */
export class TreeBuilder {
  private feature: number[] = [];
  private threshold: number[] = [];
  private missingLeft: number[] = [];
  private bitset: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private value: number[] = [];
  private count: number[] = [];
  private bitsets: number[] = [];

  /** Adds a leaf and returns its index. */
  addLeaf(value: number, count: number): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.missingLeft.push(0);
    this.bitset.push(-1);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    this.count.push(count);
    return this.value.length - 1;
  }

  /** Turns leaf `node` into a split on `feature` with the given children. */
  split(
    node: number,
    feature: number,
    rule: { threshold: number; missingLeft: boolean } | { bits: Uint32Array },
    left: number,
    right: number,
  ): void {
    this.feature[node] = feature;
    this.left[node] = left;
    this.right[node] = right;
    if ('bits' in rule) {
      this.bitset[node] = this.bitsets.length / BITSET_WORDS;
      for (const w of rule.bits) this.bitsets.push(w);
    } else {
      this.threshold[node] = rule.threshold;
      this.missingLeft[node] = rule.missingLeft ? 1 : 0;
    }
  }

  build(): Tree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Uint8Array.from(this.threshold),
      missingLeft: Uint8Array.from(this.missingLeft),
      bitset: Int32Array.from(this.bitset),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      count: Uint32Array.from(this.count),
      bitsets: Uint32Array.from(this.bitsets),
    };
  }
}
