/**
 * Helpers over the seeded generator for splits and the bootstrap.
 */

import type { Random } from '../models/seeded-random.ts';

export { seededIndices, seededRandom, type Random } from '../models/seeded-random.ts';

/** A uniform integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Shuffles `values` in place (Fisher-Yates) and returns it. */
export function shuffleInPlace<T extends { [i: number]: number; length: number }>(values: T, random: Random): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}
