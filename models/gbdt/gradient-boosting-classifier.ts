/**
 * Histogram gradient boosting for binary conversion, in plain TypeScript over typed arrays:
 * quantile bins, leaf-wise trees on log-loss gradients, early stopping on validation rows,
 * and exact per-feature logit contributions (Saabas path attribution).
 */

import { InputError, LifecycleError, NotFittedError } from '../../features/errors.ts';
import { zeros, type Matrix } from '../../features/matrix.ts';
import { classRowWeights } from '../class-weights.ts';
import { checkRows, earlyStoppingSplit } from '../early-stopping-split.ts';
import { parseModelOptions } from '../parse-model-options.ts';
import type { FitOptions, Scorer, ScorerArtifact } from '../scorer.ts';
import { FeatureBinner } from './feature-binner.ts';
import { GBDT_KIND, parseGbdtArtifactMeta, type GbdtArtifactMeta } from './gbdt-artifact-meta.ts';
import { GbdtOptions, type GbdtOptionsInput } from './gbdt-options.ts';
import { detectOneHotGroups, OneHotCollapser } from './one-hot-collapser.ts';
import { addPathContributions, leafOf, type Tree } from './tree.ts';
import { decodeTrees, encodeTrees } from './tree-codec.ts';
import { addTreeShap, expectedValue, ShapScratch, treeDepth } from './tree-shap.ts';
import { defaultThreads, HistogramThreads } from './histogram-threads.ts';
import { TreeGrower } from './tree-grower.ts';

/** One boosting run's inputs: binned rows (column-major), labels, validation rows for early stopping. */
interface BoostRun {
  binner: FeatureBinner;
  bins: Uint8Array;
  y: Uint8Array;
  valid: { bins: Uint8Array; y: Uint8Array } | null;
  maxIterations: number;
  fitOptions: FitOptions;
}

interface Fitted {
  /** Folds one-hot groups into code columns; the trees and binner see its inner columns. */
  layout: OneHotCollapser;
  binner: FeatureBinner;
  trees: Tree[];
  /** Prior log-odds every prediction starts from. */
  baseScore: number;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Mean (weighted) log loss of raw logits `z` against labels `y`. */
function logLoss(z: Float64Array, y: Uint8Array, w: Float32Array): number {
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < z.length; i++) {
    const zi = z[i]!;
    // log(1 + e^z) - y z, stable for large |z|.
    const softplus = zi > 0 ? zi + Math.log1p(Math.exp(-zi)) : Math.log1p(Math.exp(zi));
    sum += w[i]! * (softplus - y[i]! * zi);
    wsum += w[i]!;
  }
  return sum / wsum;
}

/** The rows of `a` then those of `b` (same width). */
function concatRows(a: Matrix, b: Matrix): Matrix {
  const data = new Float32Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { rows: a.rows + b.rows, cols: a.cols, data };
}

/** Gradient-boosted trees behind the `Scorer` contract. */
export class GradientBoostingClassifier implements Scorer {
  readonly kind = GBDT_KIND;
  readonly options: GbdtOptions;
  private state: Fitted | null = null;
  private disposed = false;
  /** Validation log loss after each round of the last fit (empty without early stopping). */
  validationLoss: number[] = [];

  /** Settings as in `GbdtOptions`; unknown or invalid ones throw InputError. */
  constructor(options: GbdtOptionsInput = {}) {
    this.options = parseModelOptions(GbdtOptions, options, 'gradient boosting');
  }

  private fitted(): Fitted {
    if (this.disposed) throw new LifecycleError('GradientBoostingClassifier has been disposed');
    if (!this.state) throw new NotFittedError('GradientBoostingClassifier');
    return this.state;
  }

  /** Trees kept after early stopping. */
  get treeCount(): number {
    return this.fitted().trees.length;
  }

  /**
   * The logit every row starts from; a row's contributions from `explain` add up to its logit
   * minus this. The prior plus each tree's root value (path explanation) or its
   * cover-weighted mean leaf value (SHAP).
   */
  get baseLogit(): number {
    const { trees, baseScore } = this.fitted();
    const shap = this.options.explanation === 'shap';
    return trees.reduce((sum, t) => sum + (shap ? expectedValue(t) : t.value[0]!), baseScore);
  }

  async fit(x: Matrix, y: Uint8Array, fitOptions: FitOptions = {}): Promise<this> {
    if (this.disposed) throw new LifecycleError('GradientBoostingClassifier has been disposed');
    checkRows(x, y, 'fit');
    if (x.rows === 0) throw new InputError('gradient boosting: no training rows');
    const badLabel = y.findIndex((v) => v > 1);
    if (badLabel >= 0) throw new InputError(`fit: label at row index ${badLabel} is ${y[badLabel]}, expected 0 or 1`);
    const o = this.options;
    const seed = fitOptions.seed ?? o.seed;
    const { train, validation } = earlyStoppingSplit({ x, y }, fitOptions.validation, { ...o, seed });
    const groups = o.oneHotGroups === 'auto' ? detectOneHotGroups(train.x) : o.oneHotGroups;
    const layout = new OneHotCollapser(x.cols, groups);
    const categorical = new Set(layout.groupColumns());
    for (const c of o.categoricalFeatures) {
      if (c >= x.cols)
        throw new InputError(
          `gradient boosting options: categoricalFeatures: column ${c} is beyond the ${x.cols} columns`,
        );
      categorical.add(layout.inner(c));
    }
    const binOptions = { maxBins: o.maxBins, categorical: [...categorical], seed };
    const trainX = layout.collapse(train.x);
    let binner = FeatureBinner.fit(trainX, binOptions);
    const valid = validation ? { bins: binner.transform(layout.collapse(validation.x)), y: validation.y } : null;
    this.validationLoss = [];
    let { trees, baseScore } = await this.boost({
      binner,
      bins: binner.transformColumns(trainX),
      y: train.y,
      valid,
      maxIterations: o.maxIterations,
      fitOptions,
    });
    if (o.refit && validation) {
      const allX = layout.collapse(concatRows(train.x, validation.x));
      const allY = new Uint8Array(train.y.length + validation.y.length);
      allY.set(train.y);
      allY.set(validation.y, train.y.length);
      const rounds = Math.max(1, Math.round((trees.length * allY.length) / train.y.length));
      binner = FeatureBinner.fit(allX, binOptions);
      ({ trees, baseScore } = await this.boost({
        binner,
        bins: binner.transformColumns(allX),
        y: allY,
        valid: null,
        maxIterations: rounds,
        fitOptions: { threads: fitOptions.threads },
      }));
    }
    this.state = { layout, binner, trees, baseScore };
    return this;
  }

  /**
   * The boosting rounds: returns the trees up to the best validation round (all without
   * validation rows). Histograms are summed on `fitOptions.threads` threads (default:
   * defaultThreads()) when the data is big enough to gain from them.
   */
  private async boost(run: BoostRun): Promise<{ trees: Tree[]; baseScore: number }> {
    // Every open leaf may hold a histogram, and a split briefly holds its parent's and two more.
    const slots = this.options.maxLeafNodes + 3;
    const threads = await HistogramThreads.open(
      run.bins,
      run.y.length,
      run.binner.cols,
      run.fitOptions.threads ?? defaultThreads(),
      slots,
    );
    try {
      return this.rounds(run, threads);
    } finally {
      await threads?.close();
    }
  }

  /** The rounds of `boost`, their histograms summed on `threads` (on this thread alone when undefined). */
  private rounds(
    { binner, bins, y, valid, maxIterations, fitOptions }: BoostRun,
    threads: HistogramThreads | undefined,
  ): { trees: Tree[]; baseScore: number } {
    const o = this.options;
    const n = y.length;
    const columns = {
      binCount: Int32Array.from({ length: binner.cols }, (_, c) => binner.binCount(c)),
      categorical: Uint8Array.from({ length: binner.cols }, (_, c) => (binner.isCategorical(c) ? 1 : 0)),
    };
    const growParams = { ...o, l2: o.l2Regularization, maxDepth: o.maxDepth ?? Infinity };
    const grower = new TreeGrower(bins, n, columns, growParams, threads);
    const w = classRowWeights(y, o.classWeight);
    let wPos = 0;
    let wAll = 0;
    for (let i = 0; i < n; i++) {
      wPos += w[i]! * y[i]!;
      wAll += w[i]!;
    }
    const prior = Math.min(Math.max(wPos / wAll, 1e-6), 1 - 1e-6);
    const baseScore = Math.log(prior / (1 - prior));
    const raw = new Float64Array(n).fill(baseScore);
    const grad = new Float64Array(n);
    const hess = new Float64Array(n);
    const validRaw = valid ? new Float64Array(valid.y.length).fill(baseScore) : null;
    const validW = valid ? classRowWeights(valid.y, o.classWeight) : null;
    const trees: Tree[] = [];
    let best = Infinity;
    let bestCount = 0;
    for (let iter = 0; iter < maxIterations; iter++) {
      for (let i = 0; i < n; i++) {
        const p = sigmoid(raw[i]!);
        grad[i] = w[i]! * (p - y[i]!);
        hess[i] = w[i]! * Math.max(p * (1 - p), 1e-16);
      }
      const { tree, leaves } = grower.grow(grad, hess);
      trees.push(tree);
      for (const leaf of leaves) {
        for (let i = leaf.start; i < leaf.end; i++) raw[grower.rows[i]!]! += leaf.value;
      }
      // The training loss costs a pass over every row: only for progress output.
      const loss = fitOptions.onProgress ? logLoss(raw, y, w) : NaN;
      let valLoss: number | undefined;
      if (valid && validRaw && validW) {
        for (let r = 0; r < validRaw.length; r++)
          validRaw[r]! += tree.value[leafOf(tree, valid.bins, r * binner.cols)]!;
        valLoss = logLoss(validRaw, valid.y, validW);
        this.validationLoss.push(valLoss);
        if (valLoss < best - o.tolerance) {
          best = valLoss;
          bestCount = trees.length;
        }
      }
      fitOptions.onProgress?.({
        epoch: iter + 1,
        epochs: maxIterations,
        loss,
        ...(valLoss === undefined ? {} : { valLoss }),
      });
      if (valid && trees.length - bestCount >= o.nIterNoChange) break;
      if (tree.feature[0]! < 0) break; // nothing left worth splitting
    }
    if (valid) trees.length = Math.max(bestCount, 1);
    return { trees, baseScore };
  }

  /** Raw logits (log-odds) per row. */
  predictLogit(x: Matrix): Float64Array {
    const { layout, binner, trees, baseScore } = this.fitted();
    const bins = binner.transform(layout.collapse(x));
    const cols = binner.cols;
    const out = new Float64Array(x.rows).fill(baseScore);
    for (const tree of trees) {
      for (let r = 0, offset = 0; r < x.rows; r++, offset += cols) {
        out[r]! += tree.value[leafOf(tree, bins, offset)]!;
      }
    }
    return out;
  }

  async predictProba(x: Matrix): Promise<Float32Array> {
    const z = this.predictLogit(x);
    return Float32Array.from(z, sigmoid);
  }

  /** Per-row, per-feature logit contributions (see `explanation`); each row sums to its logit minus `baseLogit`. */
  async explain(x: Matrix): Promise<Matrix> {
    const { layout, binner, trees } = this.fitted();
    const bins = binner.transform(layout.collapse(x));
    const cols = binner.cols;
    const out = zeros(x.rows, x.cols);
    const row = new Float64Array(cols);
    const shap =
      this.options.explanation === 'shap' ? new ShapScratch(Math.max(0, ...trees.map((t) => treeDepth(t)))) : null;
    for (let r = 0; r < x.rows; r++) {
      row.fill(0);
      for (const tree of trees) {
        if (shap) addTreeShap(tree, bins, r * cols, row, shap);
        else addPathContributions(tree, bins, r * cols, row);
      }
      layout.spread(row, x, r, out.data, r * x.cols);
    }
    return out;
  }

  async toArtifact(): Promise<ScorerArtifact> {
    const { layout, binner, trees, baseScore } = this.fitted();
    const meta: GbdtArtifactMeta = {
      format: 1,
      options: this.options,
      cols: layout.outerCols,
      oneHotGroups: [...layout.groups],
      baseScore,
      trees: trees.length,
      bins: binner.toJSON(),
    };
    return { kind: this.kind, meta, files: encodeTrees(trees) };
  }

  /** Restores a fitted classifier from `toArtifact` output; a mismatched artifact throws InputError. */
  static fromArtifact(artifact: ScorerArtifact): GradientBoostingClassifier {
    const meta = parseGbdtArtifactMeta(artifact);
    const model = new GradientBoostingClassifier(meta.options);
    const layout = new OneHotCollapser(meta.cols, meta.oneHotGroups);
    if (meta.bins.length !== layout.innerCols) {
      throw new InputError(
        `gradient boosting artifact: ${meta.bins.length} binned columns where ${layout.innerCols} were expected`,
      );
    }
    const binner = FeatureBinner.fromJSON(meta.bins);
    const trees = decodeTrees(artifact.files, meta.trees, layout.innerCols);
    model.state = { layout, binner, trees, baseScore: meta.baseScore };
    return model;
  }

  dispose(): void {
    this.state = null;
    this.disposed = true;
  }
}
