/**
 * L2-regularised logistic regression in TensorFlow.js, fitted full-batch with L-BFGS (the
 * objective scikit-learn's lbfgs solver minimises), with class weights and early stopping
 * on validation loss. Its explanation is exact: each feature's logit contribution w_j * x_j.
 * A fitted model scores and explains with plain dot products (no tensors).
 */

import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { InputError, LifecycleError, NotFittedError } from '../features/errors.ts';
import { formatZodError } from '../features/zod-error.ts';
import type { Matrix } from '../features/matrix.ts';
import { classRowWeights, priorLogOdds } from './class-weights.ts';
import { checkRows, earlyStoppingSplit, type LabelledRows } from './early-stopping-split.ts';
import { minimizeLbfgs } from './lbfgs.ts';
import { LogisticRegressionOptions, type LogisticRegressionOptionsInput } from './logistic-regression-options.ts';
import { parseModelOptions } from './parse-model-options.ts';
import type { FitOptions, Scorer, ScorerArtifact } from './scorer.ts';
import { activeBackend, ensureBackend } from './tf-backend.ts';
import { decodeNamedWeights, encodeNamedWeights, WeightSpec } from './tf-weights.ts';
import { checkWidth, matrixTensor } from './tensor-rows.ts';

/** `kind` of logistic regression scorers and their artifacts. */
export const LOGISTIC_KIND = 'logistic-regression';

const WEIGHTS_FILE = 'weights.bin';

/** The JSON half of a logistic regression artifact. */
export const LogisticArtifactMeta = z
  .object({
    format: z.literal(1),
    options: LogisticRegressionOptions,
    /** Input width (features). */
    cols: z.number().int().nonnegative(),
    backend: z.string().nullable(),
    iterations: z.number().int().nonnegative(),
    weightSpecs: z.array(WeightSpec),
  })
  .strict();
export type LogisticArtifactMeta = z.infer<typeof LogisticArtifactMeta>;

interface Fitted {
  kernel: tf.Tensor2D;
  bias: tf.Scalar;
  /** The kernel's and bias's values, for scoring in plain JS. */
  weights: Float32Array;
  biasValue: number;
  cols: number;
  iterations: number;
}

/** The fitted state of kernel and bias tensors, their values read once. */
function fittedState(kernel: tf.Tensor2D, bias: tf.Scalar, cols: number, iterations: number): Fitted {
  return {
    kernel,
    bias,
    weights: Float32Array.from(kernel.dataSync()),
    biasValue: bias.dataSync()[0]!,
    cols,
    iterations,
  };
}

/**
 * Logits of every row, `bias + sum_j w_j x_j`, as plain dot products: a linear model needs no
 * tensors to score, and skipping them saves the per-call cost that dominates serving-sized
 * batches (and the copies of large ones).
 */
function linearLogits(x: Matrix, w: Float32Array, bias: number): Float32Array {
  const { rows, cols, data } = x;
  const out = new Float32Array(rows);
  for (let r = 0, at = 0; r < rows; r++, at += cols) {
    let z = bias;
    for (let j = 0; j < cols; j++) z += w[j]! * data[at + j]!;
    out[r] = z;
  }
  return out;
}

/**
 * The weighted log loss and its gradient over fixed rows, for full-batch optimisation.
 * Rows are kept both as [n, d] and transposed [d, n] with labels as [1, n] rows: on the
 * wasm backend `k · Xᵀ` and `r · X` are 3-4x faster than matMuls that transpose on the fly.
 */
class BatchObjective {
  /** The rows as [n, d]: only when gradients are wanted (validation rows need only losses). */
  private readonly x: tf.Tensor2D | null;
  private readonly xT: tf.Tensor2D;
  private readonly y: tf.Tensor2D;
  private readonly w: tf.Tensor2D;
  readonly weightSum: number;

  constructor(rows: LabelledRows, weights: Float32Array, options: { gradient: boolean }) {
    const x = matrixTensor(rows.x);
    this.xT = tf.transpose(x);
    if (options.gradient) this.x = x;
    else {
      x.dispose();
      this.x = null;
    }
    this.y = tf.tensor2d(Float32Array.from(rows.y), [1, rows.y.length]);
    this.w = tf.tensor2d(weights, [1, weights.length]);
    this.weightSum = weights.reduce((a, b) => a + b, 0);
  }

  /** [loss sum, d loss / d kernel..., d loss / d bias] at parameters `theta` = [kernel..., bias]. */
  lossAndGradient(theta: Float64Array): Float32Array {
    const x = this.x;
    if (!x) throw new LifecycleError('BatchObjective: built for losses only');
    const d = x.shape[1];
    return tf.tidy(() => {
      const { z, loss } = this.logitsAndLoss(theta);
      const residual = tf.mul(tf.sub(tf.sigmoid(z), this.y), this.w);
      const gKernel = tf.matMul(residual, x);
      return tf
        .concat([tf.reshape(loss, [1]), tf.reshape(gKernel, [d]), tf.reshape(tf.sum(residual), [1])])
        .dataSync() as Float32Array;
    });
  }

  /** The logits [1, n] and the weighted loss sum at `theta` (inside the caller's tidy). */
  private logitsAndLoss(theta: Float64Array): { z: tf.Tensor; loss: tf.Tensor } {
    const d = this.xT.shape[0];
    const kernel = tf.tensor2d(Float32Array.from(theta.subarray(0, d)), [1, d]);
    const z = tf.add(tf.matMul(kernel, this.xT), tf.scalar(theta[d]!));
    // log(1 + e^z) - y z is the log loss written stably in the logit.
    return { z, loss: tf.sum(tf.mul(tf.sub(tf.softplus(z), tf.mul(this.y, z)), this.w)) };
  }

  /** Weighted mean log loss at `theta`. */
  meanLoss(theta: Float64Array): number {
    const loss = tf.tidy(() => this.logitsAndLoss(theta).loss.dataSync()[0]!);
    return loss / this.weightSum;
  }

  dispose(): void {
    tf.dispose([...(this.x ? [this.x] : []), this.xT, this.y, this.w]);
  }
}

/**
 * Zero weights and the prior log-odds as bias: the optimum of the bias alone, so L-BFGS
 * spends no iterations finding the base rate. Deterministic, so no seed is needed.
 */
function startingPoint(cols: number, bias: number): Float64Array {
  const theta = new Float64Array(cols + 1);
  theta[cols] = bias;
  return theta;
}

/** Logistic regression behind the `Scorer` contract. */
export class LogisticRegression implements Scorer {
  readonly kind = LOGISTIC_KIND;
  readonly options: LogisticRegressionOptions;
  private state: Fitted | null = null;
  private disposed = false;
  /** Validation log loss after each iteration of the last fit (empty without early stopping). */
  validationLoss: number[] = [];

  /** Settings as in `LogisticRegressionOptions`; unknown or invalid ones throw InputError. */
  constructor(options: LogisticRegressionOptionsInput = {}) {
    this.options = parseModelOptions(LogisticRegressionOptions, options, 'logistic regression');
  }

  private fitted(): Fitted {
    if (this.disposed) throw new LifecycleError('LogisticRegression has been disposed');
    if (!this.state) throw new NotFittedError('LogisticRegression');
    return this.state;
  }

  async fit(x: Matrix, y: Uint8Array, fitOptions: FitOptions = {}): Promise<this> {
    if (this.disposed) throw new LifecycleError('LogisticRegression has been disposed');
    checkRows(x, y, 'fit');
    if (fitOptions.validation) checkRows(fitOptions.validation.x, fitOptions.validation.y, 'fit validation');
    await ensureBackend();
    const o = this.options;
    const split = earlyStoppingSplit({ x, y }, fitOptions.validation, { ...o, seed: fitOptions.seed ?? o.seed });
    const d = x.cols;
    const n = split.train.x.rows;
    const train = new BatchObjective(split.train, classRowWeights(split.train.y, o.classWeight), { gradient: true });
    const valid = split.validation
      ? new BatchObjective(split.validation, classRowWeights(split.validation.y, o.classWeight), { gradient: false })
      : null;
    this.validationLoss = [];
    let best: { theta: Float64Array; loss: number; iteration: number } = {
      theta: new Float64Array(d + 1),
      loss: Infinity,
      iteration: 0,
    };
    try {
      const objective = (theta: Float64Array) => {
        const r = train.lossAndGradient(theta);
        let penalty = 0;
        const gradient = new Float64Array(d + 1);
        for (let j = 0; j < d; j++) {
          penalty += theta[j]! * theta[j]!;
          gradient[j] = (r[j + 1]! + o.l2 * theta[j]!) / n;
        }
        gradient[d] = r[d + 1]! / n;
        return { value: (r[0]! + 0.5 * o.l2 * penalty) / n, gradient };
      };
      const result = minimizeLbfgs(
        objective,
        startingPoint(d, priorLogOdds(split.train.y, classRowWeights(split.train.y, o.classWeight))),
        {
          maxIterations: o.maxIterations,
          gradientTolerance: o.tolerance,
          onIteration: (iteration, theta, value) => {
            const valLoss = valid?.meanLoss(theta);
            fitOptions.onProgress?.({
              epoch: iteration,
              epochs: o.maxIterations,
              loss: value,
              ...(valLoss === undefined ? {} : { valLoss }),
            });
            if (valLoss === undefined) return false;
            this.validationLoss.push(valLoss);
            // Tiny gains count: L-BFGS makes many small late steps, each a real improvement.
            if (valLoss < best.loss - 1e-9) best = { theta: Float64Array.from(theta), loss: valLoss, iteration };
            return iteration - best.iteration >= o.patience;
          },
        },
      );
      if (!valid) best = { theta: result.x, loss: result.value, iteration: result.iterations };
    } finally {
      train.dispose();
      valid?.dispose();
    }
    this.release();
    this.state = fittedState(
      tf.tensor2d(Float32Array.from(best.theta.subarray(0, d)), [d, 1]),
      tf.scalar(best.theta[d]!),
      d,
      best.iteration,
    );
    return this;
  }

  /** Raw logits (log-odds) per row. */
  async predictLogit(x: Matrix): Promise<Float32Array> {
    const { weights, biasValue, cols } = this.fitted();
    checkWidth(x, cols, 'predict');
    return linearLogits(x, weights, biasValue);
  }

  async predictProba(x: Matrix): Promise<Float32Array> {
    const { weights, biasValue, cols } = this.fitted();
    checkWidth(x, cols, 'predict');
    const p = linearLogits(x, weights, biasValue);
    for (let r = 0; r < p.length; r++) p[r] = 1 / (1 + Math.exp(-p[r]!));
    return p;
  }

  /** Exact per-feature logit contributions w_j * x_j; each row sums to its logit minus `baseLogit`. */
  async explain(x: Matrix): Promise<Matrix> {
    const { weights, cols } = this.fitted();
    checkWidth(x, cols, 'explain');
    const { rows, data: xs } = x;
    // Float32 products, as a float32 multiply would round them.
    const data = new Float32Array(rows * cols);
    for (let r = 0, at = 0; r < rows; r++, at += cols) {
      for (let j = 0; j < cols; j++) data[at + j] = weights[j]! * xs[at + j]!;
    }
    return { rows, cols, data };
  }

  /** The fitted weights themselves (not a copy; not to be written): `explain` is `weights[j] * x[j]` in float32. */
  get linearWeights(): Float32Array {
    return this.fitted().weights;
  }

  /** The logit of a row of zeros (the bias), which contributions are measured from. */
  get baseLogit(): number {
    return this.fitted().biasValue;
  }

  /** The fitted weights, one per feature. */
  get coefficients(): Float32Array {
    return Float32Array.from(this.fitted().weights);
  }

  /** L-BFGS iterations behind the kept weights. */
  get iterations(): number {
    return this.fitted().iterations;
  }

  async toArtifact(): Promise<ScorerArtifact> {
    const { kernel, bias, cols, iterations } = this.fitted();
    const { specs, data } = await encodeNamedWeights([
      { name: 'kernel', tensor: kernel },
      { name: 'bias', tensor: bias },
    ]);
    const meta: LogisticArtifactMeta = {
      format: 1,
      options: this.options,
      cols,
      backend: activeBackend(),
      iterations,
      weightSpecs: specs,
    };
    return { kind: this.kind, meta, files: { [WEIGHTS_FILE]: data } };
  }

  /** Restores a fitted model from `toArtifact` output; a mismatched artifact throws InputError. */
  static async fromArtifact(artifact: ScorerArtifact): Promise<LogisticRegression> {
    if (artifact.kind !== LOGISTIC_KIND)
      throw new InputError(`expected a ${LOGISTIC_KIND} artifact, got kind "${artifact.kind}"`);
    const parsed = LogisticArtifactMeta.safeParse(artifact.meta);
    if (!parsed.success) {
      throw new InputError(
        `logistic regression artifact: ${formatZodError(parsed.error, { prefix: ['meta'], maxIssues: 3 })}`,
      );
    }
    const meta = parsed.data;
    await ensureBackend();
    const weights = decodeNamedWeights(
      meta.weightSpecs,
      artifact.files[WEIGHTS_FILE],
      { kernel: [meta.cols, 1], bias: [] },
      'logistic regression artifact',
    );
    const model = new LogisticRegression(meta.options);
    model.state = fittedState(weights.kernel as tf.Tensor2D, weights.bias as tf.Scalar, meta.cols, meta.iterations);
    return model;
  }

  private release(): void {
    if (this.state) tf.dispose([this.state.kernel, this.state.bias]);
    this.state = null;
  }

  dispose(): void {
    this.release();
    this.disposed = true;
  }
}
