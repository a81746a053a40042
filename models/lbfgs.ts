/**
 * Limited-memory BFGS minimisation of a smooth function of a small parameter vector.
 * The caller computes the value and gradient (with tfjs ops over the whole batch); the
 * direction and line search run here on Float64 vectors, which for a few hundred
 * parameters is negligible next to one pass over the data.
 */

/** Value and gradient of the objective at a point. */
export type ValueAndGradient = (x: Float64Array) => { value: number; gradient: Float64Array };

export interface LbfgsOptions {
  /** Most iterations. Default 500. */
  maxIterations?: number;
  /** Correction pairs kept. Default 10. */
  memory?: number;
  /** Stop when the largest absolute gradient entry falls below this. Default 1e-6. */
  gradientTolerance?: number;
  /** Stop when the relative decrease of the value in one iteration falls below this. Default 1e-10. */
  valueTolerance?: number;
  /** Called after every iteration with the new point; return true to stop. */
  onIteration?: (iteration: number, x: Float64Array, value: number) => boolean | void;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** Why it stopped. */
  reason: 'gradient' | 'value' | 'maxIterations' | 'callback' | 'lineSearch';
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** Two-loop recursion: the quasi-Newton direction -H g from the stored pairs. */
function direction(g: Float64Array, s: Float64Array[], y: Float64Array[], rho: number[]): Float64Array {
  const q = Float64Array.from(g);
  const alpha = new Array<number>(s.length);
  for (let k = s.length - 1; k >= 0; k--) {
    const a = rho[k]! * dot(s[k]!, q);
    alpha[k] = a;
    const yk = y[k]!;
    for (let i = 0; i < q.length; i++) q[i]! -= a * yk[i]!;
  }
  const last = s.length - 1;
  const gamma = last >= 0 ? dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!) : 1;
  for (let i = 0; i < q.length; i++) q[i]! *= gamma;
  for (let k = 0; k < s.length; k++) {
    const b = rho[k]! * dot(y[k]!, q);
    const sk = s[k]!;
    const coef = alpha[k]! - b;
    for (let i = 0; i < q.length; i++) q[i]! += coef * sk[i]!;
  }
  for (let i = 0; i < q.length; i++) q[i] = -q[i]!;
  return q;
}

/** Minimises `f` from `x0` (not modified); deterministic for the same inputs. */
export function minimizeLbfgs(f: ValueAndGradient, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 500;
  const memory = options.memory ?? 10;
  const gradientTolerance = options.gradientTolerance ?? 1e-6;
  const valueTolerance = options.valueTolerance ?? 1e-10;
  let x = Float64Array.from(x0);
  let { value, gradient } = f(x);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  if (maxAbs(gradient) < gradientTolerance) return { x, value, iterations: 0, reason: 'gradient' };
  for (let iter = 1; iter <= maxIterations; iter++) {
    let d = direction(gradient, s, y, rho);
    let slope = dot(gradient, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      d = Float64Array.from(gradient, (g) => -g);
      slope = dot(gradient, d);
    }
    // First step: scale so the move is of unit length; later steps: the quasi-Newton step of 1.
    let step = s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let next: { value: number; gradient: Float64Array } | null = null;
    let xNext = x;
    for (let trial = 0; trial < 40; trial++) {
      xNext = Float64Array.from(x, (xi, i) => xi + step * d[i]!);
      const candidate = f(xNext);
      // Armijo sufficient decrease.
      if (Number.isFinite(candidate.value) && candidate.value <= value + 1e-4 * step * slope) {
        next = candidate;
        break;
      }
      step *= 0.5;
    }
    if (!next) return { x, value, iterations: iter - 1, reason: 'lineSearch' };
    const sk = Float64Array.from(xNext, (v, i) => v - x[i]!);
    const yk = Float64Array.from(next.gradient, (v, i) => v - gradient[i]!);
    const sy = dot(sk, yk);
    // Keep only pairs with positive curvature so the implied Hessian stays positive definite.
    if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
      if (s.length > memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
    }
    const previous = value;
    x = xNext;
    value = next.value;
    gradient = next.gradient;
    if (options.onIteration?.(iter, x, value) === true) return { x, value, iterations: iter, reason: 'callback' };
    if (maxAbs(gradient) < gradientTolerance) return { x, value, iterations: iter, reason: 'gradient' };
    if ((previous - value) / Math.max(Math.abs(previous), Math.abs(value), 1) < valueTolerance) {
      return { x, value, iterations: iter, reason: 'value' };
    }
  }
  return { x, value, iterations: maxIterations, reason: 'maxIterations' };
}
