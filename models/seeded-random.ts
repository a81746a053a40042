/**
 * Seeded randomness for splits, sampling, initial weights and fixtures: the same seed
 * always gives the same stream, so a run can be repeated exactly.
 */

/** A generator of floats in [0, 1). */
export type Random = () => number;

/** seededRandom: a small, fast generator with a 32-bit state; good enough for sampling rows. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The row draws `Math.floor(seededRandom(seed)() * n)` makes, one after another, written a
 * batch at a time into `out`: the same indices, with the generator's state in a local
 * variable of the loop instead of a closure's (about twice as fast for the bootstrap's
 * millions of draws).
 */
export function seededIndices(seed: number): (out: Int32Array, n: number) => void {
  let a = seed >>> 0;
  return (out, n) => {
    let s = a;
    for (let k = 0; k < out.length; k++) {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[k] = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    }
    a = s;
  };
}

/** `k` distinct row indices below `n`, drawn with a seeded partial shuffle, ascending. */
export function seededSample(n: number, k: number, seed: number): Uint32Array {
  const random = seededRandom(seed);
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, k).sort();
}
