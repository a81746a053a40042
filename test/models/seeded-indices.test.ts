import { describe, expect, it } from 'vitest';
import { seededIndices, seededRandom } from '../../models/seeded-random.ts';

describe('seededIndices', () => {
  it('draws the indices Math.floor(seededRandom(seed)() * n) draws, batch after batch', () => {
    for (const [seed, n] of [
      [42, 1_000_003],
      [7, 3],
      [0, 1],
    ] as const) {
      const random = seededRandom(seed);
      const draw = seededIndices(seed);
      for (const size of [5, 1000, 1]) {
        const out = new Int32Array(size);
        draw(out, n);
        expect(Array.from(out)).toEqual(Array.from({ length: size }, () => Math.floor(random() * n)));
      }
    }
  });
});
