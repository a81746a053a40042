/**
 * The largest magnitude a numeric value may have. Beyond it sums of squares overflow while
 * features are standardised (1e300 gives an infinite variance and NaN scores), and integers
 * stop being exact long before: such a value is a typo or a sentinel, never a measurement.
 */
export const MAX_NUMERIC_MAGNITUDE = 1e15;

/** True when `x` is finite and at most MAX_NUMERIC_MAGNITUDE in magnitude. */
export function isUsableNumber(x: number): boolean {
  return Number.isFinite(x) && Math.abs(x) <= MAX_NUMERIC_MAGNITUDE;
}
