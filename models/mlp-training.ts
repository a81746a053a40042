/**
 * The MLP's training loop: Adam on seeded mini-batches with dropout, L2 and early stopping.
 *
 * Training runs in a column layout (activations are [units, rows], kernels [out, in]) and
 * batches are gathered and transposed in JavaScript: on the wasm backend tf.gather over the
 * whole matrix and the transposed matMul that the row layout's kernel gradient needs were
 * each slower than the rest of a step together; this layout made a step about 2x faster.
 * The fitted weights come back in the usual row layout ([in, out] kernels) for inference.
 */

import * as tf from '@tensorflow/tfjs-core';
import type { Matrix } from '../features/matrix.ts';
import { classRowWeights, priorLogOdds } from './class-weights.ts';
import type { LabelledRows } from './early-stopping-split.ts';
import { seededRandom } from './seeded-random.ts';
import type { MlpOptions } from './mlp-options.ts';
import type { FitOptions } from './scorer.ts';

/** One dense layer in the row layout: kernel [in, out], bias [out]. */
export interface DenseLayer {
  kernel: tf.Tensor;
  bias: tf.Tensor;
}

/** Layer shapes [in, out] for `cols` inputs: the hidden layers, then the single output. */
export function layerShapes(cols: number, hidden: number[]): [number, number][] {
  const sizes = [cols, ...hidden, 1];
  return sizes.slice(1).map((units, i) => [sizes[i]!, units]);
}

/** Rows `rows` of `x`, transposed into `out` ([cols, rows.length], column-major by row). */
function transposeRows(x: Matrix, rows: ArrayLike<number>, out: Float32Array): Float32Array {
  const b = rows.length;
  for (let i = 0; i < b; i++) {
    const offset = rows[i]! * x.cols;
    for (let c = 0; c < x.cols; c++) out[c * b + i] = x.data[offset + c]!;
  }
  return out;
}

interface ColumnBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  w: tf.Tensor2D;
}

/** Weighted mean log loss of logits `z` [1, n]. */
function meanLogLoss(z: tf.Tensor, y: tf.Tensor, w: tf.Tensor): tf.Scalar {
  return tf.div(tf.sum(tf.mul(tf.sub(tf.softplus(z), tf.mul(y, z)), w)), tf.sum(w));
}

/** Trainable layers in the column layout: kernel [out, in], bias [out, 1]. */
interface ColumnLayer {
  kernel: tf.Variable;
  bias: tf.Variable;
}

function forwardColumns(layers: ColumnLayer[], x: tf.Tensor, o: MlpOptions): tf.Tensor {
  let h = x;
  layers.forEach((layer, i) => {
    h = tf.add(tf.matMul(layer.kernel, h), layer.bias);
    if (i === layers.length - 1) return;
    h = o.activation === 'relu' ? tf.relu(h) : tf.tanh(h);
  });
  return h;
}

/**
 * One training step's gradients, by hand: the forward pass with dropout (the mask exactly
 * as `tf.dropout` draws it for the seed), then back through the layers. The loss is the
 * weighted mean log loss plus `l2 / 2` times the squared kernels, so the logits' gradient is
 * `w (sigmoid(z) - y) / sum(w)` and each kernel's gains `l2` times itself. Written out
 * rather than left to `tf.grad`, which needs every op's gradient registered (tfjs-core
 * ships them only as modules Node cannot load). `withLoss` also returns the loss.
 */
function stepGradients(
  layers: ColumnLayer[],
  batch: ColumnBatch,
  o: MlpOptions,
  dropoutSeed: number,
  withLoss: boolean,
): { grads: Record<string, tf.Tensor>; loss: tf.Scalar | undefined } {
  const inputs: tf.Tensor[] = [];
  /** Per hidden layer: its activation's input and output, and its dropout multiplier. */
  const hidden: { a: tf.Tensor; s: tf.Tensor; mask: tf.Tensor | null }[] = [];
  let h: tf.Tensor = batch.x;
  layers.forEach((layer, i) => {
    inputs.push(h);
    const a = tf.add(tf.matMul(layer.kernel, h), layer.bias);
    if (i === layers.length - 1) {
      h = a;
      return;
    }
    const s = o.activation === 'relu' ? tf.relu(a) : tf.tanh(a);
    let mask: tf.Tensor | null = null;
    if (o.dropout > 0) {
      const keep = 1 - o.dropout;
      mask = tf.div(tf.floor(tf.add(tf.randomUniform(s.shape, 0, 1, 'float32', dropoutSeed + i), keep)), keep);
    }
    hidden.push({ a, s, mask });
    h = mask ? tf.mul(s, mask) : s;
  });
  const z = h;
  let dA = tf.div(tf.mul(tf.sub(tf.sigmoid(z), batch.y), batch.w), tf.sum(batch.w));
  const grads: Record<string, tf.Tensor> = {};
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    grads[layer.kernel.name] = tf.add(tf.matMul(dA, inputs[i]!, false, true), tf.mul(layer.kernel, o.l2));
    grads[layer.bias.name] = tf.sum(dA, 1, true);
    if (i === 0) break;
    const { a, s, mask } = hidden[i - 1]!;
    let dS = tf.matMul(layer.kernel, dA, true, false);
    if (mask) dS = tf.mul(dS, mask);
    dA = o.activation === 'relu' ? tf.mul(dS, tf.step(a)) : tf.mul(dS, tf.sub(1, tf.square(s)));
  }
  const loss = withLoss ? tf.add<tf.Scalar>(meanLogLoss(z, batch.y, batch.w), l2Penalty(layers, o)) : undefined;
  return { grads, loss };
}

/** `l2 / 2` times the sum of the squared kernel weights. */
function l2Penalty(layers: ColumnLayer[], o: MlpOptions): tf.Scalar {
  return tf.mul(tf.addN(layers.map((l) => tf.sum(tf.square(l.kernel)))), o.l2 / 2) as tf.Scalar;
}

/** The layers in the row layout (new tensors). */
function rowLayout(layers: ColumnLayer[]): DenseLayer[] {
  return layers.map((l) => tf.tidy(() => ({ kernel: tf.transpose(l.kernel), bias: tf.reshape(l.bias, [-1]) })));
}

export interface TrainedMlp {
  layers: DenseLayer[];
  /** Epoch of the kept weights. */
  epochs: number;
  validationLoss: number[];
}

/** Trains the network on `train`, early-stopping on `validation` when given; deterministic for `seed`. */
export function trainMlp(
  o: MlpOptions,
  train: LabelledRows,
  validation: LabelledRows | null,
  seed: number,
  onProgress?: FitOptions['onProgress'],
): TrainedMlp {
  const cols = train.x.cols;
  const n = train.x.rows;
  const weights = classRowWeights(train.y, o.classWeight);
  const shapes = layerShapes(cols, o.hiddenUnits);
  const layers: ColumnLayer[] = shapes.map(([fanIn, fanOut], i) => {
    // Glorot uniform, seeded per layer.
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = tf.randomUniform([fanOut, fanIn], -limit, limit, 'float32', seed * 31 + i);
    // The output unit starts at the prior log-odds, so early epochs learn structure, not the base rate.
    const bias = i === shapes.length - 1 ? tf.fill([fanOut, 1], priorLogOdds(train.y, weights)) : tf.zeros([fanOut, 1]);
    // Unnamed: tfjs variable names are global, and a fit that failed half-way must not block the next.
    const layer = { kernel: tf.variable(kernel, true), bias: tf.variable(bias, true) };
    // A variable holds its own reference to the data; the initial tensors are no longer needed.
    tf.dispose([kernel, bias]);
    return layer;
  });
  const vars = layers.flatMap((l) => [l.kernel, l.bias]);
  const valid: ColumnBatch | null = validation
    ? {
        x: tf.tensor2d(
          transposeRows(
            validation.x,
            Uint32Array.from({ length: validation.x.rows }, (_, i) => i),
            new Float32Array(validation.x.data.length),
          ),
          [cols, validation.x.rows],
        ),
        y: tf.tensor2d(Float32Array.from(validation.y), [1, validation.y.length]),
        w: tf.tensor2d(classRowWeights(validation.y, o.classWeight), [1, validation.y.length]),
      }
    : null;
  const optimizer = tf.train.adam(o.learningRate);
  const random = seededRandom(seed ^ 0x9e3779b9);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const buffer = new Float32Array(cols * o.batchSize);
  const validationLoss: number[] = [];
  let best: { layers: DenseLayer[]; loss: number; epoch: number } | null = null;
  let epoch = 0;
  let step = 0;
  try {
    for (epoch = 1; epoch <= o.maxEpochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
      let lastLoss = NaN;
      for (let start = 0; start < n; start += o.batchSize, step++) {
        const rows = order.subarray(start, Math.min(n, start + o.batchSize));
        const b = rows.length;
        const batch: ColumnBatch = {
          x: tf.tensor2d(transposeRows(train.x, rows, b === o.batchSize ? buffer : new Float32Array(cols * b)), [
            cols,
            b,
          ]),
          y: tf.tensor2d(
            Float32Array.from(rows, (r) => train.y[r]!),
            [1, b],
          ),
          w: tf.tensor2d(
            Float32Array.from(rows, (r) => weights[r]!),
            [1, b],
          ),
        };
        const dropoutSeed = seed * 1_000_003 + step * 7;
        // Reading every loss would stall the backend; the last batch's is enough for progress.
        const last = start + o.batchSize >= n;
        const { grads, loss } = tf.tidy(() => stepGradients(layers, batch, o, dropoutSeed, last));
        optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
        if (loss) lastLoss = loss.dataSync()[0]!;
        tf.dispose([...Object.values(grads), ...(loss ? [loss] : []), batch.x, batch.y, batch.w]);
      }
      const valLoss = valid
        ? tf.tidy(() => meanLogLoss(forwardColumns(layers, valid.x, o), valid.y, valid.w).dataSync()[0]!)
        : undefined;
      onProgress?.({ epoch, epochs: o.maxEpochs, loss: lastLoss, ...(valLoss === undefined ? {} : { valLoss }) });
      if (valLoss === undefined) continue;
      validationLoss.push(valLoss);
      if (!best || valLoss < best.loss - o.tolerance) {
        if (best) tf.dispose(best.layers.flatMap((l) => [l.kernel, l.bias]));
        best = { layers: rowLayout(layers), loss: valLoss, epoch };
      } else if (epoch - best.epoch >= o.patience) {
        break;
      }
    }
    const epochs = Math.min(epoch, o.maxEpochs);
    return best
      ? { layers: best.layers, epochs: best.epoch, validationLoss }
      : { layers: rowLayout(layers), epochs, validationLoss };
  } catch (err) {
    if (best) tf.dispose(best.layers.flatMap((l) => [l.kernel, l.bias]));
    throw err;
  } finally {
    optimizer.dispose();
    tf.dispose(vars);
    if (valid) tf.dispose([valid.x, valid.y, valid.w]);
  }
}
