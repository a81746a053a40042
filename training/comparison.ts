/**
 * The model-versus-rules result as a schema: what `evaluate --json` prints and what an
 * artifact's manifest stores, so whoever reads it back can parse it at the edge.
 */

import { z } from 'zod';

const Rate = z.number().min(0).max(1);

export const DecileGainSchema = z
  .object({
    decile: z.number().int().min(1).max(10),
    leadsShare: Rate,
    captured: Rate,
    conversionRate: Rate,
    lift: z.number().min(0),
    cumulativeLift: z.number().min(0),
  })
  .strict();

export const TierSummarySchema = z
  .object({
    tier: z.string(),
    leads: z.number().int().min(0),
    share: Rate,
    conversions: z.number().int().min(0),
    conversionRate: Rate.nullable(),
  })
  .strict();

/** Rank metrics: they apply to any score, probabilities or rule points. */
export const RankMetrics = z
  .object({
    /** ROC AUC, ties counted half. */
    auc: Rate,
    /** Average precision. */
    prAuc: Rate,
    /** Conversion rate of the top 10 % over the overall rate. */
    liftTop10: z.number().min(0),
    /** Share of all conversions in the top 10 %. */
    captureTop10: Rate,
    deciles: z.array(DecileGainSchema).length(10),
  })
  .strict();
export type RankMetrics = z.infer<typeof RankMetrics>;

/** The model's metrics: rank metrics plus those judging the probabilities. */
export const ModelMetrics = RankMetrics.extend({
  /** Mean log loss, probabilities clipped to [2.2e-16, 1 - 2.2e-16] like scikit-learn. */
  logLoss: z.number().min(0),
  brier: Rate,
  /** Expected calibration error over 10 equal-width bins. */
  ece: Rate,
}).strict();
export type ModelMetrics = z.infer<typeof ModelMetrics>;

/** One cell of the rule tier × model tier matrix. */
export const AgreementCell = z
  .object({
    ruleTier: z.string(),
    modelTier: z.string(),
    leads: z.number().int().min(0),
    share: Rate,
    conversions: z.number().int().min(0),
    conversionRate: Rate.nullable(),
  })
  .strict();
export type AgreementCell = z.infer<typeof AgreementCell>;

/** Model against rules on the same rows. Rule parts are null when the data set has no rules file. */
export const ModelRulesComparison = z
  .object({
    rows: z.number().int().min(1),
    positives: z.number().int().min(1),
    positiveRate: Rate,
    model: ModelMetrics,
    rules: RankMetrics.nullable(),
    /** The model's AUC with its bootstrap interval; when it includes 0.5 the model is no better than chance. Absent in older artifacts. */
    modelAuc: z
      .object({ estimate: Rate, low: Rate, high: Rate, level: Rate, resamples: z.number().int().min(0) })
      .strict()
      .optional(),
    /** AUC(model) - AUC(rules) with its paired bootstrap interval. */
    aucDifference: z
      .object({
        estimate: z.number(),
        low: z.number(),
        high: z.number(),
        level: Rate,
        resamples: z.number().int().min(0),
      })
      .strict()
      .nullable(),
    tiers: z.object({ model: z.array(TierSummarySchema), rules: z.array(TierSummarySchema) }).strict(),
    /** Rule tiers outer, model tiers inner, both best first; empty cells included. */
    agreement: z
      .object({ ruleTiers: z.array(z.string()), modelTiers: z.array(z.string()), cells: z.array(AgreementCell) })
      .strict()
      .nullable(),
  })
  .strict();
export type ModelRulesComparison = z.infer<typeof ModelRulesComparison>;
