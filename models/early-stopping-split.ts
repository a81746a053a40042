/** The train/validation rows a model early-stops on, shared by the tfjs models. */

import { takeMatrixRows, type Matrix } from '../features/matrix.ts';
import { stratifiedHoldout } from './gbdt/holdout-split.ts';
import { ShapeMismatchError } from '../features/errors.ts';

export interface LabelledRows {
  x: Matrix;
  y: Uint8Array;
}

/**
 * The given validation rows when there are some; else, with early stopping on, a seeded
 * stratified hold-out of `fraction` of the training rows; else no validation rows.
 */
export function earlyStoppingSplit(
  train: LabelledRows,
  validation: LabelledRows | undefined,
  options: { earlyStopping: boolean; validationFraction: number; seed: number },
): { train: LabelledRows; validation: LabelledRows | null } {
  if (!options.earlyStopping) return { train, validation: null };
  if (validation) return { train, validation };
  const split = stratifiedHoldout(train.y, options.validationFraction, options.seed);
  if (split.holdout.length === 0 || split.train.length === 0) return { train, validation: null };
  const pick = (rows: Uint32Array): LabelledRows => ({
    x: takeMatrixRows(train.x, rows),
    y: Uint8Array.from(rows, (r) => train.y[r]!),
  });
  return { train: pick(split.train), validation: pick(split.holdout) };
}

/** Throws unless `x` and `y` describe the same rows. */
export function checkRows(x: Matrix, y: Uint8Array, what: string): void {
  if (x.data.length !== x.rows * x.cols)
    throw new ShapeMismatchError(`${what}: matrix data has ${x.data.length} values for ${x.rows} x ${x.cols}`);
  if (y.length !== x.rows) throw new ShapeMismatchError(`${what}: ${x.rows} rows but ${y.length} labels`);
}
