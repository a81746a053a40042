import { GradientBoostingClassifier } from '../../../models/gbdt/gradient-boosting-classifier.ts';
import { describeScorer } from '../scorer-suite.ts';

describeScorer('GradientBoostingClassifier', {
  create: () => new GradientBoostingClassifier({ maxIterations: 100 }),
  fromArtifact: (artifact) => GradientBoostingClassifier.fromArtifact(artifact),
});
