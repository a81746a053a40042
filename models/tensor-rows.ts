/** Moving Matrix rows in and out of tensors in bounded chunks, so scoring a big file stays within memory. */

import * as tf from '@tensorflow/tfjs-core';
import type { Matrix } from '../features/matrix.ts';
import { ShapeMismatchError } from '../features/errors.ts';

/** Rows per tensor when predicting or explaining. */
export const CHUNK_ROWS = 65_536;

/** The matrix as a [rows, cols] tensor (the caller disposes it). */
export function matrixTensor(x: Matrix): tf.Tensor2D {
  return tf.tensor2d(x.data, [x.rows, x.cols], 'float32');
}

/** A column vector [n, 1] from numbers (the caller disposes it). */
export function columnTensor(values: ArrayLike<number>): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(values), [values.length, 1], 'float32');
}

/**
 * Runs `f` on each chunk of rows (inside tf.tidy) and concatenates the values it returns;
 * `width` is how many numbers `f` gives per row.
 */
export function mapRowChunks(x: Matrix, width: number, f: (chunk: tf.Tensor2D) => tf.Tensor): Float32Array {
  const out = new Float32Array(x.rows * width);
  for (let start = 0; start < x.rows; start += CHUNK_ROWS) {
    const end = Math.min(x.rows, start + CHUNK_ROWS);
    const values = tf.tidy(() => {
      const chunk = tf.tensor2d(x.data.subarray(start * x.cols, end * x.cols), [end - start, x.cols], 'float32');
      return f(chunk).dataSync() as Float32Array;
    });
    out.set(values, start * width);
  }
  return out;
}

/** Throws unless `x` has the width the model was fitted on. */
export function checkWidth(x: Matrix, cols: number, what: string): void {
  if (x.cols !== cols)
    throw new ShapeMismatchError(`${what}: the model was fitted on ${cols} features, got a matrix with ${x.cols}`);
}
