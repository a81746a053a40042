/**
 * New weights for marketing's rules, learned from closed deals: an L2-regularised logistic
 * regression on the rules' own columns (1 when an attribute rule fires, the capped event
 * count for an event rule), each weight kept to the sign the rule was written with.
 */

import { minimizeLbfgs } from '../models/lbfgs.ts';

/** The rules' columns on the training rows, column-major: `columns[j][i]` is rule j on row i. */
export interface RuleColumns {
  columns: readonly Float64Array[];
  labels: ArrayLike<number>;
  /** The sign each weight must keep: 1, -1, or 0 for free. */
  signs: readonly number[];
}

export interface RuleWeightOptions {
  /** L2 penalty on the weights (not the intercept), as in scikit-learn's 1 / C. Default 1. */
  l2?: number;
}

/** The fitted log-odds per unit of each rule, and why a weight is zero when it is. */
export interface RuleWeights {
  weights: Float64Array;
  intercept: number;
  /** Per rule: `fitted`, `never-fires` (no training row has it), or `sign-disagrees` (the data want the opposite sign: held at 0). */
  status: ('fitted' | 'never-fires' | 'sign-disagrees')[];
}

/**
 * Fits the weights. A weight whose fitted sign opposes the rule's is held at zero and the
 * rest refitted, until every weight agrees (at most one pass per rule).
 */
export function fitRuleWeights(input: RuleColumns, options: RuleWeightOptions = {}): RuleWeights {
  const k = input.columns.length;
  const n = input.labels.length;
  const l2 = options.l2 ?? 1;
  const status: RuleWeights['status'] = input.columns.map((c) => (c.some((v) => v !== 0) ? 'fitted' : 'never-fires'));
  let result: { weights: Float64Array; intercept: number } = { weights: new Float64Array(k), intercept: 0 };
  for (let pass = 0; pass <= k; pass++) {
    const free = status.map((s) => s === 'fitted');
    result = fitLogistic(input.columns, input.labels, free, l2, n);
    let changed = false;
    for (let j = 0; j < k; j++) {
      const sign = input.signs[j] ?? 0;
      if (free[j] && sign !== 0 && result.weights[j]! * sign < 0) {
        status[j] = 'sign-disagrees';
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (let j = 0; j < k; j++) if (status[j] !== 'fitted') result.weights[j] = 0;
  return { ...result, status };
}

function fitLogistic(
  columns: readonly Float64Array[],
  labels: ArrayLike<number>,
  free: boolean[],
  l2: number,
  n: number,
): { weights: Float64Array; intercept: number } {
  const index = free.flatMap((f, j) => (f ? [j] : []));
  const m = index.length;
  const eta = new Float64Array(n);
  const residual = new Float64Array(n);
  // Parameters: the free weights, then the intercept.
  const objective = (x: Float64Array) => {
    const b = x[m]!;
    eta.fill(b);
    for (let t = 0; t < m; t++) {
      const w = x[t]!;
      const c = columns[index[t]!]!;
      if (w !== 0) for (let i = 0; i < n; i++) eta[i]! += w * c[i]!;
    }
    let value = 0;
    for (let i = 0; i < n; i++) {
      const z = eta[i]!;
      // log(1 + e^z) - y z, stable for large |z|.
      value += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - labels[i]! * z;
      residual[i] = 1 / (1 + Math.exp(-z)) - labels[i]!;
    }
    const gradient = new Float64Array(m + 1);
    for (let t = 0; t < m; t++) {
      const c = columns[index[t]!]!;
      let g = 0;
      for (let i = 0; i < n; i++) g += residual[i]! * c[i]!;
      gradient[t] = g + 2 * l2 * x[t]!;
      value += l2 * x[t]! * x[t]!;
    }
    let g0 = 0;
    for (let i = 0; i < n; i++) g0 += residual[i]!;
    gradient[m] = g0;
    return { value, gradient };
  };
  const { x } = minimizeLbfgs(objective, new Float64Array(m + 1), {
    maxIterations: 300,
    gradientTolerance: 1e-6 * Math.max(1, n),
  });
  const weights = new Float64Array(columns.length);
  index.forEach((j, t) => (weights[j] = x[t]!));
  return { weights, intercept: x[m]! };
}
