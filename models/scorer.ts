/**
 * The contract every learned scorer follows (scikit-learn's estimator habits): settings
 * apart from learned state, `fit` returns the fitted object, using it unfitted throws
 * NotFittedError, and it round-trips through an artifact without touching the file system.
 *
 * Loading goes through `scorerFromArtifact` (models/scorer-registry.ts), which dispatches on
 * `kind` to the class's static `fromArtifact`; a new model family registers there and passes
 * the shared suite in test/models/scorer-suite.ts (`describeScorer`).
 */

import type { Matrix } from '../features/matrix.ts';

export type { Matrix };

export interface FitOptions {
  /** Rows held out for early stopping (and calibration); absent: the scorer splits its own. */
  validation?: { x: Matrix; y: Uint8Array };
  /** Called once per epoch/round with its number and losses, for progress output. */
  onProgress?: (p: { epoch: number; epochs: number; loss: number; valLoss?: number }) => void;
  seed?: number;
  /** Threads the fit may use (gradient boosting sums its histograms on them). Default: every core, at most 4. */
  threads?: number;
}

/** What a scorer serialises to: JSON metadata plus named binary blobs (weights). */
export interface ScorerArtifact {
  kind: string;
  /** JSON-safe settings and learned scalars; `meta.cols` (a number) is the input width, checked against the feature spec on load. */
  meta: Record<string, unknown>;
  files: Record<string, Uint8Array>;
}

export interface Scorer {
  readonly kind: string;
  fit(x: Matrix, y: Uint8Array, options?: FitOptions): Promise<this>;
  /** P(converted) per row. */
  predictProba(x: Matrix): Promise<Float32Array>;
  /**
   * Per-row, per-feature contribution to the logit (rows × cols), for reasons: exact for
   * logistic regression and gradient boosting, gradient × input for the MLP.
   */
  explain(x: Matrix): Promise<Matrix>;
  /**
   * A linear scorer's weights (one per feature, read-only), whose `explain` is exactly
   * `weights[j] * x[j]` rounded to float32: contributions can then be had from the rows
   * themselves. Absent for other scorers.
   */
  readonly linearWeights?: Float32Array;
  toArtifact(): Promise<ScorerArtifact>;
  /** Releases tensors; the scorer is unusable afterwards. Safe to call twice. */
  dispose(): void;
}
