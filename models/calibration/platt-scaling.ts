/**
 * Platt scaling: calibrated p = sigmoid(a * logit(p_raw) + b), with a and b fitted by
 * Newton's method on held-out rows against Platt's smoothed targets
 * ((positives + 1) / (positives + 2) and 1 / (negatives + 2)), as scikit-learn does.
 */

import { z } from 'zod';
import { ShapeMismatchError } from '../../features/errors.ts';

export const PlattJson = z
  .object({
    kind: z.literal('platt'),
    /** Slope on the raw logit. */
    a: z.number(),
    /** Intercept. */
    b: z.number(),
  })
  .strict();
export type PlattJson = z.infer<typeof PlattJson>;

const EPS = 1e-7;

/** The logit of a probability clipped away from 0 and 1. */
export function clippedLogit(p: number): number {
  const q = Math.min(Math.max(p, EPS), 1 - EPS);
  return Math.log(q / (1 - q));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Mean log loss of sigmoid(a z + b) against soft targets t. */
function loss(z: Float64Array, t: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const u = a * z[i]! + b;
    const softplus = u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
    sum += softplus - t[i]! * u;
  }
  return sum / z.length;
}

/** A fitted Platt calibrator. */
export class PlattScaling {
  readonly kind = 'platt';

  constructor(
    readonly a: number,
    readonly b: number,
  ) {}

  /** Fits on raw probabilities `p` and labels `y` of held-out rows. */
  static fit(p: ArrayLike<number>, y: ArrayLike<number>): PlattScaling {
    if (p.length !== y.length)
      throw new ShapeMismatchError(`Platt scaling: ${p.length} probabilities but ${y.length} labels`);
    let positives = 0;
    for (let i = 0; i < y.length; i++) positives += y[i] ? 1 : 0;
    const negatives = y.length - positives;
    const hi = (positives + 1) / (positives + 2);
    const lo = 1 / (negatives + 2);
    const z = Float64Array.from({ length: p.length }, (_, i) => clippedLogit(p[i]!));
    const t = Float64Array.from({ length: y.length }, (_, i) => (y[i] ? hi : lo));
    let a = 1;
    let b = 0;
    let current = loss(z, t, a, b);
    for (let iter = 0; iter < 100; iter++) {
      let ga = 0,
        gb = 0,
        haa = 0,
        hab = 0,
        hbb = 0;
      for (let i = 0; i < z.length; i++) {
        const q = sigmoid(a * z[i]! + b);
        const r = q - t[i]!;
        const h = Math.max(q * (1 - q), 1e-12);
        ga += r * z[i]!;
        gb += r;
        haa += h * z[i]! * z[i]!;
        hab += h * z[i]!;
        hbb += h;
      }
      // A small ridge keeps the 2x2 Newton system solvable when all logits are equal.
      haa += 1e-12 * z.length;
      hbb += 1e-12 * z.length;
      const det = haa * hbb - hab * hab;
      const da = (hbb * ga - hab * gb) / det;
      const db = (haa * gb - hab * ga) / det;
      let step = 1;
      let next = loss(z, t, a - da, b - db);
      while (next > current && step > 1e-8) {
        step /= 2;
        next = loss(z, t, a - step * da, b - step * db);
      }
      if (next > current) break;
      a -= step * da;
      b -= step * db;
      const gain = current - next;
      current = next;
      if (gain < 1e-12) break;
    }
    return new PlattScaling(a, b);
  }

  static fromJSON(json: PlattJson): PlattScaling {
    return new PlattScaling(json.a, json.b);
  }

  /** Calibrated probabilities. */
  apply(p: ArrayLike<number>): Float32Array {
    return Float32Array.from({ length: p.length }, (_, i) => sigmoid(this.a * clippedLogit(p[i]!) + this.b));
  }

  toJSON(): PlattJson {
    return { kind: 'platt', a: this.a, b: this.b };
  }
}
