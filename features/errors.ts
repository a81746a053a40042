/**
 * Errors shared by every layer. The CLI maps `InputError` to exit code 2 and prints
 * its one-line message; anything else is a bug and exits with 1.
 */

/** Bad input from a user: a file, row, field or option. The message names where. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    /** Optional structured details (for --json output and tests). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Using a transformer or model before `fit` (scikit-learn's NotFittedError). */
export class NotFittedError extends Error {
  override name = 'NotFittedError';
  constructor(what: string) {
    super(`${what} is not fitted: call fit() first`);
  }
}

/**
 * Arrays that must line up do not: a matrix with another number of columns than the model
 * was fitted on, labels and rows of different lengths (scikit-learn's ValueError on
 * inconsistent shapes). A bug in the calling code, not in a user's file.
 */
export class ShapeMismatchError extends Error {
  override name = 'ShapeMismatchError';
}

/** An object used after `dispose()` or `close()`, or before `start()` finished. */
export class LifecycleError extends Error {
  override name = 'LifecycleError';
}

/** Something the code guarantees did not hold: a bug, reported with what was found. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

/** An optional package a function needs is not installed (the message says which, and why). */
export class MissingDependencyError extends Error {
  override name = 'MissingDependencyError';
}
