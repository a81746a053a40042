/**
 * Grows one tree best-first (leaf-wise): the leaf whose split gains most is split next, until
 * `maxLeafNodes`. Rows of each node are a range of one shared index array, partitioned in
 * place; only the smaller child's histogram is built, the other is parent minus it.
 */

import { buildHistogram, emptyHistogram, subtractHistogram } from './histogram.ts';
import type { HistogramThreads } from './histogram-threads.ts';
import { findBestSplit, type ColumnInfo, type NodeStats, type Split, type SplitParams } from './split-finder.ts';
import { MISSING_BIN } from './feature-binner.ts';
import { TreeBuilder, type Tree } from './tree.ts';

export interface GrowParams extends SplitParams {
  maxLeafNodes: number;
  /** Deepest a leaf may sit; Infinity for no limit. */
  maxDepth: number;
  learningRate: number;
}

/** A leaf of the grown tree and the rows it holds: `rows[start..end)`. */
export interface GrownLeaf {
  value: number;
  start: number;
  end: number;
}

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  stats: NodeStats;
  hist: Float64Array | null;
  split: Split | null;
}

/** Grows trees over one binned training set, reusing buffers between trees. */
export class TreeGrower {
  /** Row indices; after `grow`, each leaf's rows are a contiguous range of it. */
  readonly rows: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly orderedGrad: Float64Array;
  private readonly orderedHess: Float64Array;
  private readonly spareHistograms: Float64Array[] = [];
  /** Per bin, 1 when the split being applied sends it left. */
  private readonly side = new Uint8Array(256);

  constructor(
    /** Column-major bins: `bins[col * nRows + row]`. */
    private readonly bins: Uint8Array,
    private readonly nRows: number,
    private readonly columns: ColumnInfo,
    private readonly params: GrowParams,
    /** Threads to sum histograms on (their shared buffers hold the rows and gradients); default this one. */
    private readonly threads?: HistogramThreads,
  ) {
    this.rows = threads?.rows ?? new Uint32Array(nRows);
    this.scratch = new Uint32Array(nRows);
    this.orderedGrad = threads?.orderedGrad ?? new Float64Array(nRows);
    this.orderedHess = threads?.orderedHess ?? new Float64Array(nRows);
  }

  /** Histogram of `rows[start..end)`, gathering their gradients first so the column passes read them in order. */
  private histogramOf(start: number, end: number, grad: Float64Array, hess: Float64Array): Float64Array {
    const out = this.takeHistogram();
    for (let i = start; i < end; i++) {
      const r = this.rows[i]!;
      this.orderedGrad[i - start] = grad[r]!;
      this.orderedHess[i - start] = hess[r]!;
    }
    if (this.threads) this.threads.build(out, start, end);
    else
      buildHistogram(out, this.bins, this.nRows, this.cols, this.rows, start, end, this.orderedGrad, this.orderedHess);
    return out;
  }

  private get cols(): number {
    return this.columns.binCount.length;
  }

  private takeHistogram(): Float64Array {
    return this.spareHistograms.pop() ?? this.threads?.takeHistogram() ?? emptyHistogram(this.cols);
  }

  private leafValue(s: NodeStats): number {
    return (-this.params.learningRate * s.g) / (s.h + this.params.l2);
  }

  /** Grows one tree on the given per-row gradients and hessians. */
  grow(grad: Float64Array, hess: Float64Array): { tree: Tree; leaves: GrownLeaf[] } {
    const p = this.params;
    for (let i = 0; i < this.nRows; i++) this.rows[i] = i;
    let g = 0;
    let h = 0;
    for (let i = 0; i < this.nRows; i++) {
      g += grad[i]!;
      h += hess[i]!;
    }
    const builder = new TreeBuilder();
    const rootStats = { g, h, n: this.nRows };
    const root: OpenLeaf = {
      node: builder.addLeaf(this.leafValue(rootStats), this.nRows),
      start: 0,
      end: this.nRows,
      depth: 0,
      stats: rootStats,
      hist: null,
      split: null,
    };
    if (this.splittable(root)) {
      root.hist = this.histogramOf(0, this.nRows, grad, hess);
      root.split = findBestSplit(root.hist, root.stats, this.columns, p);
    }
    const open: OpenLeaf[] = [root];
    const done: OpenLeaf[] = [];
    let leafCount = 1;
    while (leafCount < p.maxLeafNodes) {
      let pick = -1;
      for (let i = 0; i < open.length; i++) {
        const s = open[i]!.split;
        if (s && (pick < 0 || s.gain > open[pick]!.split!.gain)) pick = i;
      }
      if (pick < 0) break;
      const leaf = open.splice(pick, 1)[0]!;
      const [left, right] = this.applySplit(builder, leaf, grad, hess);
      open.push(left, right);
      leafCount++;
    }
    for (const leaf of open) {
      if (leaf.hist) this.spareHistograms.push(leaf.hist);
      done.push(leaf);
    }
    const tree = builder.build();
    const leaves = done
      .sort((a, b) => a.start - b.start)
      .map((l) => ({ value: tree.value[l.node]!, start: l.start, end: l.end }));
    return { tree, leaves };
  }

  private splittable(leaf: OpenLeaf): boolean {
    return leaf.depth < this.params.maxDepth && leaf.stats.n >= 2 * this.params.minSamplesLeaf;
  }

  private applySplit(
    builder: TreeBuilder,
    leaf: OpenLeaf,
    grad: Float64Array,
    hess: Float64Array,
  ): [OpenLeaf, OpenLeaf] {
    const split = leaf.split!;
    const f = split.feature;
    const leftNode = builder.addLeaf(this.leafValue(split.left), split.left.n);
    const rightNode = builder.addLeaf(this.leafValue(split.right), split.right.n);
    const rule = split.bits ? { bits: split.bits } : { threshold: split.threshold, missingLeft: split.missingLeft };
    builder.split(leaf.node, f, rule, leftNode, rightNode);
    // Partition the node's rows: left ones stay in front, in their original order. Which side
    // each bin goes to is looked up, and every row is written to both places with only the
    // counters moving: no branch for the processor to mispredict half the time.
    const bits = split.bits;
    const side = this.side;
    for (let b = 0; b < side.length; b++)
      side[b] = (
        bits ? ((bits[b >>> 5]! >>> (b & 31)) & 1) === 1 : b === MISSING_BIN ? split.missingLeft : b <= split.threshold
      )
        ? 1
        : 0;
    const { bins, rows, scratch } = this;
    const column = f * this.nRows;
    let l = leaf.start;
    let r = 0;
    for (let i = leaf.start; i < leaf.end; i++) {
      const row = rows[i]!;
      const left = side[bins[column + row]!]!;
      rows[l] = row;
      scratch[r] = row;
      l += left;
      r += 1 - left;
    }
    rows.set(scratch.subarray(0, r), l);
    const depth = leaf.depth + 1;
    const left: OpenLeaf = {
      node: leftNode,
      start: leaf.start,
      end: l,
      depth,
      stats: split.left,
      hist: null,
      split: null,
    };
    const right: OpenLeaf = {
      node: rightNode,
      start: l,
      end: leaf.end,
      depth,
      stats: split.right,
      hist: null,
      split: null,
    };
    const parentHist = leaf.hist!;
    const canLeft = this.splittable(left);
    const canRight = this.splittable(right);
    if (canLeft || canRight) {
      const [small, large] = left.end - left.start <= right.end - right.start ? [left, right] : [right, left];
      small.hist = this.histogramOf(small.start, small.end, grad, hess);
      large.hist = this.takeHistogram();
      subtractHistogram(large.hist, parentHist, small.hist);
      for (const child of [left, right]) {
        if (this.splittable(child)) child.split = findBestSplit(child.hist!, child.stats, this.columns, this.params);
        if (!child.split) {
          this.spareHistograms.push(child.hist!);
          child.hist = null;
        }
      }
    }
    this.spareHistograms.push(parentHist);
    return [left, right];
  }
}
