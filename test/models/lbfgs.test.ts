import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from '../../models/lbfgs.ts';

describe('minimizeLbfgs', () => {
  it('finds the minimum of Rosenbrock’s valley at (1, 1)', () => {
    const result = minimizeLbfgs(
      ([a, b]) => {
        const x = a!;
        const y = b!;
        return {
          value: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
          gradient: Float64Array.from([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]),
        };
      },
      Float64Array.from([-1.2, 1]),
      { gradientTolerance: 1e-9, valueTolerance: 0 },
    );
    expect(result.reason).toBe('gradient');
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
  });

  it('solves a quadratic: minimum of sum (i + 1) (x_i - i)^2 is x_i = i', () => {
    const result = minimizeLbfgs(
      (x) => ({
        value: x.reduce((s, v, i) => s + (i + 1) * (v - i) ** 2, 0),
        gradient: x.map((v, i) => 2 * (i + 1) * (v - i)),
      }),
      new Float64Array(5),
    );
    for (let i = 0; i < 5; i++) expect(result.x[i]).toBeCloseTo(i, 5);
  });

  it('stops when the callback says so', () => {
    const seen: number[] = [];
    const result = minimizeLbfgs(
      (x) => ({
        value: (x[0]! - 3) ** 2 + Math.cosh(x[0]!),
        gradient: Float64Array.from([2 * (x[0]! - 3) + Math.sinh(x[0]!)]),
      }),
      Float64Array.from([0]),
      { onIteration: (iteration) => (seen.push(iteration), iteration === 2) },
    );
    expect(result.reason).toBe('callback');
    expect(seen).toEqual([1, 2]);
  });
});
