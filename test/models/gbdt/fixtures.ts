import type { Matrix } from '../../../features/matrix.ts';
import { seededRandom } from '../../../models/seeded-random.ts';

/** A matrix from rows of numbers. */
export function matrix(rows: number[][]): Matrix {
  const cols = rows[0]?.length ?? 0;
  return { rows: rows.length, cols, data: Float32Array.from(rows.flat()) };
}

/**
 * XOR of signs: y = 1 when x0 and x1 share a sign. Each column alone says nothing about
 * the label, so no linear score ranks better than chance. A third column is noise.
 */
export function xorData(n: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = seededRandom(seed);
  const rows: number[][] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    rows.push([a, b, random()]);
    y[i] = a * b > 0 ? 1 : 0;
  }
  return { x: matrix(rows), y };
}

/** Share of rows where the probability is on the side of the label. */
export function accuracy(y: Uint8Array, p: Float32Array): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) if ((p[i]! > 0.5 ? 1 : 0) === y[i]) right++;
  return right / y.length;
}
