import { describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { GradientBoostingClassifier } from '../../models/gbdt/gradient-boosting-classifier.ts';
import { LogisticRegression } from '../../models/logistic-regression.ts';
import { Mlp } from '../../models/mlp.ts';
import { createScorer, scorerFromArtifact } from '../../models/scorer-registry.ts';
import { reloadedArtifact, syntheticSet } from './scorer-suite.ts';

describe('scorer registry', () => {
  it('creates each model family with its options checked', async () => {
    expect(await createScorer('logistic', { l2: 2 })).toBeInstanceOf(LogisticRegression);
    expect(await createScorer('mlp', { hiddenUnits: [4] })).toBeInstanceOf(Mlp);
    expect(await createScorer('gbdt')).toBeInstanceOf(GradientBoostingClassifier);
    await expect(createScorer('mlp', { layers: 3 })).rejects.toThrow(InputError);
  });

  it('restores any fitted scorer from its artifact by kind', async () => {
    const { x, y } = syntheticSet(200, 1);
    for (const kind of ['logistic', 'mlp', 'gbdt'] as const) {
      const scorer = await (
        await createScorer(kind, kind === 'gbdt' ? { maxIterations: 5 } : kind === 'mlp' ? { maxEpochs: 2 } : {})
      ).fit(x, y);
      const loaded = await scorerFromArtifact(reloadedArtifact(await scorer.toArtifact()));
      expect(loaded.kind).toBe(scorer.kind);
      expect(await loaded.predictProba(x)).toEqual(await scorer.predictProba(x));
      scorer.dispose();
      loaded.dispose();
    }
    await expect(scorerFromArtifact({ kind: 'forest', meta: {}, files: {} })).rejects.toThrow(
      /unknown model kind "forest"/,
    );
  });
});
