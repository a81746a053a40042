/**
 * Isotonic calibration: the non-decreasing step function of the raw probability that best
 * fits the held-out labels (pool-adjacent-violators), read with linear interpolation between
 * its knots and clipped at the ends, as scikit-learn's IsotonicRegression does.
 */

import { z } from 'zod';
import { InputError, ShapeMismatchError } from '../../features/errors.ts';

export const IsotonicJson = z
  .object({
    kind: z.literal('isotonic'),
    /** Raw probabilities at the knots, non-decreasing. */
    x: z.array(z.number()).min(1),
    /** Calibrated probabilities at the knots, non-decreasing, in [0, 1]. */
    y: z.array(z.number().min(0).max(1)).min(1),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.x.length !== v.y.length)
      ctx.addIssue({ code: 'custom', path: ['y'], message: `${v.y.length} values for ${v.x.length} knots` });
    for (let i = 1; i < v.x.length; i++) {
      if (v.x[i]! < v.x[i - 1]! || (v.y[i] ?? 1) < (v.y[i - 1] ?? 0)) {
        ctx.addIssue({ code: 'custom', path: ['x', i], message: 'knots must be non-decreasing' });
        return;
      }
    }
  });
export type IsotonicJson = z.infer<typeof IsotonicJson>;

interface Block {
  xMin: number;
  xMax: number;
  sum: number;
  weight: number;
}

/** A fitted isotonic calibrator. */
export class IsotonicCalibration {
  readonly kind = 'isotonic';

  constructor(
    readonly x: readonly number[],
    readonly y: readonly number[],
  ) {}

  /** Fits on raw probabilities `p` and labels `y` of held-out rows. */
  static fit(p: ArrayLike<number>, labels: ArrayLike<number>): IsotonicCalibration {
    if (p.length !== labels.length)
      throw new ShapeMismatchError(`isotonic calibration: ${p.length} probabilities but ${labels.length} labels`);
    if (p.length === 0) throw new InputError('isotonic calibration: no rows to fit on');
    const order = Array.from({ length: p.length }, (_, i) => i).sort((i, j) => p[i]! - p[j]!);
    const blocks: Block[] = [];
    for (const i of order) {
      const x = p[i]!;
      const last = blocks[blocks.length - 1];
      // Equal inputs must get one output, so they start in one block.
      if (last && last.xMax === x) {
        last.sum += labels[i] ? 1 : 0;
        last.weight += 1;
      } else {
        blocks.push({ xMin: x, xMax: x, sum: labels[i] ? 1 : 0, weight: 1 });
      }
      // Pool while the newest block's mean is below its predecessor's.
      while (blocks.length > 1) {
        const b = blocks[blocks.length - 1]!;
        const a = blocks[blocks.length - 2]!;
        if (a.sum / a.weight <= b.sum / b.weight) break;
        a.xMax = b.xMax;
        a.sum += b.sum;
        a.weight += b.weight;
        blocks.pop();
      }
    }
    const xs: number[] = [];
    const ys: number[] = [];
    for (const b of blocks) {
      const v = b.sum / b.weight;
      xs.push(b.xMin);
      ys.push(v);
      if (b.xMax > b.xMin) {
        xs.push(b.xMax);
        ys.push(v);
      }
    }
    return new IsotonicCalibration(xs, ys);
  }

  static fromJSON(json: IsotonicJson): IsotonicCalibration {
    return new IsotonicCalibration(json.x, json.y);
  }

  /** The calibrated probability of one raw probability. */
  value(p: number): number {
    const { x, y } = this;
    if (p <= x[0]!) return y[0]!;
    const last = x.length - 1;
    if (p >= x[last]!) return y[last]!;
    // Largest knot index with x[lo] <= p.
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (x[mid]! <= p) lo = mid;
      else hi = mid;
    }
    const x0 = x[lo]!;
    const x1 = x[hi]!;
    return x1 === x0 ? y[hi]! : y[lo]! + ((p - x0) / (x1 - x0)) * (y[hi]! - y[lo]!);
  }

  /** Calibrated probabilities. */
  apply(p: ArrayLike<number>): Float32Array {
    return Float32Array.from({ length: p.length }, (_, i) => this.value(p[i]!));
  }

  toJSON(): IsotonicJson {
    return { kind: 'isotonic', x: [...this.x], y: [...this.y] };
  }
}
