/**
 * A small multi-layer perceptron in TensorFlow.js: one or two hidden layers with dropout
 * and L2, trained with Adam on seeded mini-batches, class weights, and early stopping on
 * validation loss. Its explanation is gradient × input of the logit, per feature.
 */

import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { InputError, LifecycleError, NotFittedError } from '../features/errors.ts';
import { formatZodError } from '../features/zod-error.ts';
import type { Matrix } from '../features/matrix.ts';
import { checkRows, earlyStoppingSplit } from './early-stopping-split.ts';
import { MlpOptions, type MlpOptionsInput } from './mlp-options.ts';
import { layerShapes, trainMlp, type DenseLayer } from './mlp-training.ts';
import { parseModelOptions } from './parse-model-options.ts';
import type { FitOptions, Scorer, ScorerArtifact } from './scorer.ts';
import { activeBackend, ensureBackend } from './tf-backend.ts';
import { decodeNamedWeights, encodeNamedWeights, WeightSpec } from './tf-weights.ts';
import { checkWidth, mapRowChunks } from './tensor-rows.ts';

/** `kind` of MLP scorers and their artifacts. */
export const MLP_KIND = 'mlp';

const WEIGHTS_FILE = 'weights.bin';

/** The JSON half of an MLP artifact. */
export const MlpArtifactMeta = z
  .object({
    format: z.literal(1),
    options: MlpOptions,
    /** Input width (features). */
    cols: z.number().int().nonnegative(),
    backend: z.string().nullable(),
    epochs: z.number().int().nonnegative(),
    weightSpecs: z.array(WeightSpec),
  })
  .strict();
export type MlpArtifactMeta = z.infer<typeof MlpArtifactMeta>;

interface Fitted {
  layers: DenseLayer[];
  cols: number;
  epochs: number;
}

/** Multi-layer perceptron behind the `Scorer` contract. */
export class Mlp implements Scorer {
  readonly kind = MLP_KIND;
  readonly options: MlpOptions;
  private state: Fitted | null = null;
  private disposed = false;
  /** Validation log loss after each epoch of the last fit (empty without early stopping). */
  validationLoss: number[] = [];

  /** Settings as in `MlpOptions`; unknown or invalid ones throw InputError. */
  constructor(options: MlpOptionsInput = {}) {
    this.options = parseModelOptions(MlpOptions, options, 'mlp');
  }

  private fitted(): Fitted {
    if (this.disposed) throw new LifecycleError('Mlp has been disposed');
    if (!this.state) throw new NotFittedError('Mlp');
    return this.state;
  }

  /** Logits [n, 1] of rows `x`. */
  private forward(layers: DenseLayer[], x: tf.Tensor): tf.Tensor {
    return this.forwardKeeping(layers, x).logits;
  }

  /** Logits [n, 1] of rows `x`, with each hidden layer's activation input and output. */
  private forwardKeeping(
    layers: DenseLayer[],
    x: tf.Tensor,
  ): { logits: tf.Tensor; hidden: { a: tf.Tensor; s: tf.Tensor }[] } {
    const hidden: { a: tf.Tensor; s: tf.Tensor }[] = [];
    let h = x;
    layers.forEach((layer, i) => {
      h = tf.add(tf.matMul(h, layer.kernel), layer.bias);
      if (i === layers.length - 1) return;
      const s = this.options.activation === 'relu' ? tf.relu(h) : tf.tanh(h);
      hidden.push({ a: h, s });
      h = s;
    });
    return { logits: h, hidden };
  }

  /** The logit's slope along each input feature [n, cols], back through the layers by hand. */
  private inputSlope(layers: DenseLayer[], x: tf.Tensor): tf.Tensor {
    const { logits, hidden } = this.forwardKeeping(layers, x);
    let dA: tf.Tensor = tf.onesLike(logits);
    for (let i = layers.length - 1; ; i--) {
      const dH = tf.matMul(dA, layers[i]!.kernel, false, true);
      if (i === 0) return dH;
      const { a, s } = hidden[i - 1]!;
      dA = this.options.activation === 'relu' ? tf.mul(dH, tf.step(a)) : tf.mul(dH, tf.sub(1, tf.square(s)));
    }
  }

  async fit(x: Matrix, y: Uint8Array, fitOptions: FitOptions = {}): Promise<this> {
    if (this.disposed) throw new LifecycleError('Mlp has been disposed');
    checkRows(x, y, 'fit');
    if (fitOptions.validation) checkRows(fitOptions.validation.x, fitOptions.validation.y, 'fit validation');
    await ensureBackend();
    const seed = fitOptions.seed ?? this.options.seed;
    const split = earlyStoppingSplit({ x, y }, fitOptions.validation, { ...this.options, seed });
    const trained = trainMlp(this.options, split.train, split.validation, seed, fitOptions.onProgress);
    this.validationLoss = trained.validationLoss;
    this.release();
    this.state = { layers: trained.layers, cols: x.cols, epochs: trained.epochs };
    return this;
  }

  /** Raw logits (log-odds) per row. */
  async predictLogit(x: Matrix): Promise<Float32Array> {
    const { layers, cols } = this.fitted();
    checkWidth(x, cols, 'predict');
    return mapRowChunks(x, 1, (chunk) => this.forward(layers, chunk));
  }

  async predictProba(x: Matrix): Promise<Float32Array> {
    const { layers, cols } = this.fitted();
    checkWidth(x, cols, 'predict');
    return mapRowChunks(x, 1, (chunk) => tf.sigmoid(this.forward(layers, chunk)));
  }

  /**
   * Gradient × input: each feature's value times the logit's slope along it. A first-order
   * attribution measured from a zero row; unlike logistic regression's it need not add up
   * to the logit.
   */
  async explain(x: Matrix): Promise<Matrix> {
    const { layers, cols } = this.fitted();
    checkWidth(x, cols, 'explain');
    await ensureBackend();
    const data = mapRowChunks(x, cols, (chunk) => tf.mul(this.inputSlope(layers, chunk), chunk));
    return { rows: x.rows, cols, data };
  }

  /** Epochs behind the kept weights. */
  get epochs(): number {
    return this.fitted().epochs;
  }

  async toArtifact(): Promise<ScorerArtifact> {
    const { layers, cols, epochs } = this.fitted();
    const { specs, data } = await encodeNamedWeights(
      layers.flatMap((l, i) => [
        { name: `dense${i}/kernel`, tensor: l.kernel },
        { name: `dense${i}/bias`, tensor: l.bias },
      ]),
    );
    const meta: MlpArtifactMeta = {
      format: 1,
      options: this.options,
      cols,
      backend: activeBackend(),
      epochs,
      weightSpecs: specs,
    };
    return { kind: this.kind, meta, files: { [WEIGHTS_FILE]: data } };
  }

  /** Restores a fitted model from `toArtifact` output; a mismatched artifact throws InputError. */
  static async fromArtifact(artifact: ScorerArtifact): Promise<Mlp> {
    if (artifact.kind !== MLP_KIND)
      throw new InputError(`expected an ${MLP_KIND} artifact, got kind "${artifact.kind}"`);
    const parsed = MlpArtifactMeta.safeParse(artifact.meta);
    if (!parsed.success) {
      throw new InputError(`mlp artifact: ${formatZodError(parsed.error, { prefix: ['meta'], maxIssues: 3 })}`);
    }
    const meta = parsed.data;
    await ensureBackend();
    const shapes = layerShapes(meta.cols, meta.options.hiddenUnits);
    const expected: Record<string, number[]> = {};
    shapes.forEach(([fanIn, fanOut], i) => {
      expected[`dense${i}/kernel`] = [fanIn, fanOut];
      expected[`dense${i}/bias`] = [fanOut];
    });
    const weights = decodeNamedWeights(meta.weightSpecs, artifact.files[WEIGHTS_FILE], expected, 'mlp artifact');
    const model = new Mlp(meta.options);
    const layers = shapes.map((_, i) => ({ kernel: weights[`dense${i}/kernel`]!, bias: weights[`dense${i}/bias`]! }));
    // Tensors the specs list beyond the expected ones are not used.
    const used = new Set(layers.flatMap((l) => [l.kernel, l.bias]));
    tf.dispose(Object.values(weights).filter((t) => !used.has(t)));
    model.state = { layers, cols: meta.cols, epochs: meta.epochs };
    return model;
  }

  private release(): void {
    if (this.state) tf.dispose(this.state.layers.flatMap((l) => [l.kernel, l.bias]));
    this.state = null;
  }

  dispose(): void {
    this.release();
    this.disposed = true;
  }
}
