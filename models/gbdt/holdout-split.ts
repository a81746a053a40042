/**
 * Seeded, stratified hold-out of rows for early stopping: the same seed and labels always
 * give the same split.
 */

import { seededRandom } from '../seeded-random.ts';

/**
 * Splits row indices 0..n-1 into `train` and `holdout`, holding out `fraction` of each class
 * (at least one row of a class that has two or more), both in ascending order.
 */
export function stratifiedHoldout(
  y: Uint8Array,
  fraction: number,
  seed: number,
): { train: Uint32Array; holdout: Uint32Array } {
  const random = seededRandom(seed);
  const held = new Uint8Array(y.length);
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) rows.push(i);
    // Fisher-Yates, then hold out the first k.
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = rows[i]!;
      rows[i] = rows[j]!;
      rows[j] = t;
    }
    const k = rows.length >= 2 ? Math.max(1, Math.round(rows.length * fraction)) : 0;
    for (let i = 0; i < k; i++) held[rows[i]!] = 1;
  }
  const train: number[] = [];
  const holdout: number[] = [];
  for (let i = 0; i < y.length; i++) (held[i] ? holdout : train).push(i);
  return { train: Uint32Array.from(train), holdout: Uint32Array.from(holdout) };
}
