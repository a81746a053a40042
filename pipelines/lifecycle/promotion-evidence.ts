import {
  aucInterval,
  bootstrapAucDifference,
  noBetterThanChance,
  rocAuc,
  type AucDifference,
} from '../../training/index.ts';

/** What retrain --promote decides, and why. */
export interface PromotionDecision {
  /** The evidence allows promotion. */
  promote: boolean;
  /** Why not, in words with the figures; empty when it may. */
  reasons: string[];
  /** AUC(challenger) - AUC(champion), paired bootstrap on the held-out leads; null without a champion. */
  versusChampion: AucDifference | null;
  /** Both AUCs on the held-out leads; null without rules. */
  versusRules: { challenger: number; rules: number } | null;
}

export interface PromotionInput {
  labels: ArrayLike<number>;
  challenger: ArrayLike<number>;
  champion: { version: string; scores: ArrayLike<number> } | null;
  rules: ArrayLike<number> | null;
  resamples: number;
  seed: number;
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;

/**
 * Promotion needs evidence: the challenger must beat the champion with the paired
 * bootstrap interval of their AUC difference above zero, must not rank the held-out leads
 * worse than the rules, and must beat chance. Each failed test is one reason.
 */
export function promotionDecision(input: PromotionInput): PromotionDecision {
  const { labels } = input;
  const reasons: string[] = [];
  const options = { resamples: input.resamples, seed: input.seed };
  const chance = aucInterval(labels, input.challenger, options);
  if (noBetterThanChance(chance)) {
    reasons.push(
      `the challenger is no better than chance on the held-out leads (AUC ${chance.estimate.toFixed(3)}, ${Math.round(chance.level * 100)} % interval ${chance.low.toFixed(3)} to ${chance.high.toFixed(3)})`,
    );
  }
  let versusChampion: AucDifference | null = null;
  if (input.champion) {
    versusChampion = bootstrapAucDifference(labels, input.challenger, input.champion.scores, options);
    const d = versusChampion;
    if (!(d.low > 0)) {
      const interval = `${Math.round(d.level * 100)} % interval ${signed(d.low)} to ${signed(d.high)}`;
      reasons.push(
        d.high < 0
          ? `the champion ${input.champion.version} ranks better: AUC ${signed(d.estimate)} (${interval})`
          : `the challenger does not clearly beat the champion ${input.champion.version}: AUC ${signed(d.estimate)} (${interval}, which includes 0)`,
      );
    }
  }
  let versusRules: PromotionDecision['versusRules'] = null;
  if (input.rules) {
    versusRules = { challenger: rocAuc(labels, input.challenger), rules: rocAuc(labels, input.rules) };
    if (versusRules.challenger < versusRules.rules) {
      reasons.push(
        `the challenger ranks worse than the rules: AUC ${versusRules.challenger.toFixed(3)} vs ${versusRules.rules.toFixed(3)}`,
      );
    }
  }
  return { promote: reasons.length === 0, reasons, versusChampion, versusRules };
}
