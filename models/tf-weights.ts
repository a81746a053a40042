/**
 * Named tensors to bytes and back, in TensorFlow.js's own weights format (the binary
 * `weights.bin` plus its weight specs), so a scorer's artifact never touches the file system.
 */

import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { InputError } from '../features/errors.ts';

/** tfjs's description of one tensor in a weights buffer. */
export const WeightSpec = z
  .object({
    name: z.string(),
    shape: z.array(z.number().int().nonnegative()),
    dtype: z.literal('float32'),
  })
  .strict();
export type WeightSpec = z.infer<typeof WeightSpec>;

/** Encodes tensors (in the given order) to one buffer and its specs. */
export async function encodeNamedWeights(
  tensors: { name: string; tensor: tf.Tensor }[],
): Promise<{ specs: WeightSpec[]; data: Uint8Array }> {
  const encoded = await tf.io.encodeWeights(tensors);
  const specs = encoded.specs.map((s) => WeightSpec.parse({ name: s.name, shape: s.shape, dtype: s.dtype }));
  return { specs, data: new Uint8Array(encoded.data) };
}

/**
 * Decodes a weights buffer into tensors by name, checking that each expected tensor is
 * there with the expected shape; the caller owns (and disposes) the tensors.
 */
export function decodeNamedWeights(
  specs: WeightSpec[],
  data: Uint8Array | undefined,
  expected: Record<string, number[]>,
  what: string,
): Record<string, tf.Tensor> {
  if (!data) throw new InputError(`${what}: the weights file is missing`);
  const bytes = specs.reduce((sum, s) => sum + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes !== data.byteLength)
    throw new InputError(`${what}: weights file has ${data.byteLength} bytes, the specs describe ${bytes}`);
  for (const [name, shape] of Object.entries(expected)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new InputError(`${what}: weight "${name}" is missing`);
    if (spec.shape.join('x') !== shape.join('x')) {
      throw new InputError(
        `${what}: weight "${name}" has shape [${spec.shape.join(', ')}], expected [${shape.join(', ')}]`,
      );
    }
  }
  // Copy into a fresh, aligned buffer: the bytes may be a view into a larger file buffer.
  const buffer = data.slice().buffer;
  return tf.io.decodeWeights(buffer, specs) as Record<string, tf.Tensor>;
}
