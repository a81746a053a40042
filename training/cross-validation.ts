/**
 * Cross-validation summary: the spread of each metric over the folds says how much a
 * single split's numbers can be trusted.
 */

import type { ModelMetrics } from './comparison.ts';

/** Mean, sample standard deviation (0 for one fold), smallest and largest value over the folds. */
export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

/** The headline model metrics over the folds. */
export interface FoldSummary {
  folds: number;
  auc: Spread;
  prAuc: Spread;
  logLoss: Spread;
  brier: Spread;
  ece: Spread;
  liftTop10: Spread;
}

/** Mean, sample standard deviation, min and max of `values` (at least one). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spread needs at least one value');
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const squares = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return {
    mean,
    sd: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Summarises the model metrics of each fold (e.g. `modelMetrics` on each fold's test rows). */
export function summariseFolds(perFold: readonly ModelMetrics[]): FoldSummary {
  const of = (pick: (m: ModelMetrics) => number) => spread(perFold.map(pick));
  return {
    folds: perFold.length,
    auc: of((m) => m.auc),
    prAuc: of((m) => m.prAuc),
    logLoss: of((m) => m.logLoss),
    brier: of((m) => m.brier),
    ece: of((m) => m.ece),
    liftTop10: of((m) => m.liftTop10),
  };
}
