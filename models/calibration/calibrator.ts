/**
 * Probability calibration fitted on held-out validation rows, stored as JSON in the model
 * artifact: Platt scaling (two numbers, smooth, good when the model ranks well but is over-
 * or under-confident) or isotonic regression (free-form and monotone, wants more rows).
 */

import { z } from 'zod';
import { InputError } from '../../features/errors.ts';
import { formatZodError } from '../../features/zod-error.ts';
import { IsotonicCalibration, IsotonicJson } from './isotonic-calibration.ts';
import { PlattJson, PlattScaling } from './platt-scaling.ts';

/** A calibration method, or none. */
export const CalibrationMethod = z.enum(['platt', 'isotonic', 'none']);
export type CalibrationMethod = z.infer<typeof CalibrationMethod>;

/** A fitted calibrator as stored in the artifact (`calibrator.json`). */
export const CalibratorJson = z.discriminatedUnion('kind', [PlattJson, IsotonicJson]);
export type CalibratorJson = z.infer<typeof CalibratorJson>;

/** What every calibrator does: map raw probabilities to calibrated ones, monotonically. */
export interface Calibrator {
  readonly kind: 'platt' | 'isotonic';
  apply(p: ArrayLike<number>): Float32Array;
  toJSON(): CalibratorJson;
}

/** Fits `method` on raw probabilities and labels of held-out rows; null for `none`. */
export function fitCalibrator(
  method: CalibrationMethod,
  p: ArrayLike<number>,
  y: ArrayLike<number>,
): Calibrator | null {
  if (method === 'none') return null;
  return method === 'platt' ? PlattScaling.fit(p, y) : IsotonicCalibration.fit(p, y);
}

/** Restores a calibrator from its JSON; a malformed one throws InputError naming the field. */
export function calibratorFromJson(value: unknown, what = 'calibrator.json'): Calibrator {
  const parsed = CalibratorJson.safeParse(value);
  if (!parsed.success) {
    throw new InputError(`${what}: ${formatZodError(parsed.error, { maxIssues: 3, value })}`);
  }
  const json = parsed.data;
  return json.kind === 'platt' ? PlattScaling.fromJSON(json) : IsotonicCalibration.fromJSON(json);
}
