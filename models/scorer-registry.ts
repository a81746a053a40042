import { InputError } from '../features/errors.ts';
import { GradientBoostingClassifier } from './gbdt/gradient-boosting-classifier.ts';
import type { Scorer, ScorerArtifact } from './scorer.ts';

/** The model families a dataset config can ask for (`training.model`). */
export type ModelKind = 'logistic' | 'mlp' | 'gbdt';

// The TensorFlow.js models are imported only when one is asked for: loading tfjs costs a
// process (or worker thread) about 0.3 s and 65 MB that a gradient-boosting model never needs.

/** A fresh, unfitted scorer of `kind` with `options` (checked by the model's own schema). */
export async function createScorer(kind: ModelKind, options: Record<string, unknown> = {}): Promise<Scorer> {
  switch (kind) {
    case 'logistic':
      return new (await import('./logistic-regression.ts')).LogisticRegression(options);
    case 'gbdt':
      return new GradientBoostingClassifier(options);
    case 'mlp':
      return new (await import('./mlp.ts')).Mlp(options);
  }
}

/** Restores a fitted scorer from its artifact, whatever its kind. */
export async function scorerFromArtifact(artifact: ScorerArtifact): Promise<Scorer> {
  switch (artifact.kind) {
    case 'logistic-regression':
      return (await import('./logistic-regression.ts')).LogisticRegression.fromArtifact(artifact);
    case 'mlp':
      return (await import('./mlp.ts')).Mlp.fromArtifact(artifact);
    case 'gradient-boosting':
      return GradientBoostingClassifier.fromArtifact(artifact);
    default:
      throw new InputError(`model artifact: unknown model kind "${artifact.kind}"`);
  }
}

/** The input width recorded in a scorer artifact's metadata, when it records one. */
export function artifactInputColumns(artifact: ScorerArtifact): number | undefined {
  const cols = artifact.meta.cols;
  return typeof cols === 'number' ? cols : undefined;
}
