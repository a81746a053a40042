import type { PromotionComparison } from './production-record.ts';
import type { VersionSummary } from './version-summary.ts';

/**
 * Scores a version's artifact on one fixed evaluation data set and returns its ROC AUC;
 * `data` names that data set in messages and the history.
 */
export interface ScoreOnSameData {
  data: string;
  auc: (version: VersionSummary) => Promise<number>;
}

export interface PromotionCheck {
  comparison: PromotionComparison | null;
  /** Why the promotion should not happen, in words with the figures; null when it may. */
  refusal: string | null;
}

/**
 * Compares a candidate with the production model on the same evaluation data: both
 * re-scored by `rescore` when given, else the test AUCs stored in their manifests, which
 * only count when both were computed on the same data fingerprint. A candidate with a
 * lower AUC, or one that cannot be compared, is refused.
 */
export async function comparePromotion(
  candidate: VersionSummary,
  champion: VersionSummary,
  rescore?: ScoreOnSameData,
): Promise<PromotionCheck> {
  let comparison: PromotionComparison;
  if (rescore) {
    comparison = {
      basis: 'rescored',
      candidateAuc: await rescore.auc(candidate),
      championAuc: await rescore.auc(champion),
      data: rescore.data,
    };
  } else {
    const missing = [candidate, champion].filter((v) => v.testAuc === null).map((v) => v.version);
    if (missing.length > 0) {
      return {
        comparison: null,
        refusal: `cannot compare ${candidate.version} with production ${champion.version}: no stored test AUC for ${missing.join(' and ')} (re-score both with --data FILE)`,
      };
    }
    if (candidate.dataFingerprint !== champion.dataFingerprint) {
      return {
        comparison: null,
        refusal:
          `cannot compare ${candidate.version} with production ${champion.version}: their test metrics come from different data ` +
          `(${candidate.dataFingerprint} vs ${champion.dataFingerprint}; re-score both with --data FILE)`,
      };
    }
    comparison = {
      basis: 'stored',
      candidateAuc: candidate.testAuc!,
      championAuc: champion.testAuc!,
      data: candidate.dataFingerprint,
    };
  }
  const delta = comparison.candidateAuc - comparison.championAuc;
  const refusal =
    delta < 0
      ? `${candidate.version} scores worse than production ${champion.version}: ROC AUC ${fmt(comparison.candidateAuc)} vs ${fmt(comparison.championAuc)} ` +
        `(${fmt(delta)}) on ${comparison.data}`
      : null;
  return { comparison, refusal };
}

function fmt(x: number): string {
  return x.toFixed(4);
}
