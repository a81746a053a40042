import { z } from 'zod';

/**
 * How the loaded rows are divided. `random` is stratified by the label; `time` sorts rows
 * by `timeColumn` (or by file order when absent) and puts the oldest in training and the
 * newest in test, which is how the model will be used: trained on the past, scoring the
 * future; `group` keeps each account's leads together so none leaks across parts.
 */
export const SplitConfig = z
  .object({
    /** `random` (stratified by label), `time`, or `group` (whole accounts per part). Default random. */
    by: z.enum(['random', 'time', 'group']).default('random'),
    /** For `by: time`: a timestamp or numeric column; absent: file row order (oldest first). Default none. */
    timeColumn: z.string().min(1).optional(),
    /** For `by: group`: the column naming each lead's account or company (required then). Default none. */
    groupColumn: z.string().min(1).optional(),
    /** Share of rows held out for early stopping, calibration and tier thresholds. Default 0.15. */
    validationFraction: z.number().gt(0).lt(1).default(0.15),
    /** Share of rows held out for the final metrics; 0 when evaluating on a separate file. Default 0.2. */
    testFraction: z.number().min(0).lt(1).default(0.2),
    /** Folds of (stratified) cross-validation, when cross-validation is asked for. Default 5. */
    folds: z.number().int().min(2).max(50).default(5),
  })
  .strict()
  .refine((s) => s.validationFraction + s.testFraction < 1, {
    message: 'validationFraction + testFraction must leave rows for training (sum < 1)',
    path: ['testFraction'],
  })
  .refine((s) => s.by !== 'group' || s.groupColumn !== undefined, {
    message: 'by: group needs a groupColumn',
    path: ['groupColumn'],
  });
export type SplitConfig = z.infer<typeof SplitConfig>;

const TierName = z.string().min(1).max(40);

function checkNames(names: string[], values: number[], key: string, ctx: z.RefinementCtx): void {
  if (names.length !== values.length + 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['names'],
      message: `names needs one entry per ${key} value plus one for the rest (${values.length + 1}), got ${names.length}`,
    });
  }
  if (new Set(names).size !== names.length)
    ctx.addIssue({ code: 'custom', path: ['names'], message: 'tier names must differ' });
}

/**
 * Tiers by target conversion rate: a lead is in the first tier whose target its expected
 * conversion rate reaches (hot = leads expected to convert at 80 % or more), the expected
 * rate being estimated from validation outcomes (isotonic in the model's probability);
 * the last tier takes the rest.
 */
export const TargetRateTierPolicy = z
  .object({
    policy: z.literal('targetRate'),
    /** Tier names, best first; one more than `targetRates`. Default [hot, warm, cold]. */
    names: z.array(TierName).min(2).default(['hot', 'warm', 'cold']),
    /** Lowest conversion rate (0..1) of each tier but the last, strictly decreasing. Default [0.8, 0.4]. */
    targetRates: z.array(z.number().gt(0).max(1)).min(1).default([0.8, 0.4]),
  })
  .strict()
  .superRefine((p, ctx) => {
    checkNames(p.names, p.targetRates, 'targetRates', ctx);
    for (let i = 1; i < p.targetRates.length; i++) {
      if (p.targetRates[i]! >= p.targetRates[i - 1]!) {
        ctx.addIssue({
          code: 'custom',
          path: ['targetRates', i],
          message: 'target rates must decrease from tier to tier',
        });
      }
    }
  });
export type TargetRateTierPolicy = z.infer<typeof TargetRateTierPolicy>;

/** Tiers by sales capacity: the top `shares[0]` of leads are the first tier, the next `shares[1]` the second, and so on. */
export const CapacityTierPolicy = z
  .object({
    policy: z.literal('capacity'),
    /** Tier names, best first; one more than `shares`. Default [hot, warm, cold]. */
    names: z.array(TierName).min(2).default(['hot', 'warm', 'cold']),
    /** Share of leads (0..1) in each tier but the last; they sum to at most 1. Default [0.1, 0.2]. */
    shares: z.array(z.number().gt(0).max(1)).min(1).default([0.1, 0.2]),
  })
  .strict()
  .superRefine((p, ctx) => {
    checkNames(p.names, p.shares, 'shares', ctx);
    const total = p.shares.reduce((a, b) => a + b, 0);
    if (total > 1 + 1e-9)
      ctx.addIssue({ code: 'custom', path: ['shares'], message: `shares sum to ${total}, more than 1` });
  });
export type CapacityTierPolicy = z.infer<typeof CapacityTierPolicy>;

/** How model tiers are cut, on validation rows. Default: capacity, hot = top 10 %, warm = next 20 %, rest cold. */
export const TierPolicy = z.discriminatedUnion('policy', [TargetRateTierPolicy, CapacityTierPolicy]);
export type TierPolicy = z.infer<typeof TierPolicy>;

/** How the model is judged against the rules. */
export const EvaluationConfig = z
  .object({
    /** Bootstrap resamples for the 95 % interval of the AUC difference (model minus rules). Default 1000. */
    bootstrapResamples: z.number().int().min(100).max(100_000).default(1000),
  })
  .strict();
export type EvaluationConfig = z.infer<typeof EvaluationConfig>;

/** How and what to train. Every option has a default, so the section may be left out. */
export const TrainingConfig = z
  .object({
    /** Model family: logistic regression, MLP, or histogram gradient boosting. Default logistic. */
    model: z.enum(['logistic', 'mlp', 'gbdt']).default('logistic'),
    /**
     * Settings of the chosen model, checked by that model's own (strict) option schema, so
     * unknown keys are still rejected. Default {} (the model's defaults).
     */
    modelOptions: z.record(z.string(), z.unknown()).default({}),
    /** Probability calibration fitted on the validation rows: platt, isotonic or none. Default platt. */
    calibration: z.enum(['platt', 'isotonic', 'none']).default('platt'),
    /** Random seed for splits, weight init and the bootstrap. Default 42. */
    seed: z.number().int().default(42),
    /** Refuse to train with fewer positives than this. Default 100. */
    minPositives: z.number().int().min(1).default(100),
    /** Refuse to train with fewer negatives than this. Default 100. */
    minNegatives: z.number().int().min(1).default(100),
    /** How rows are divided into train, validation and test. Default: stratified random 65/15/20. */
    split: SplitConfig.default(SplitConfig.parse({})),
    /** How model tiers are chosen. Default capacity: hot top 10 %, warm next 20 %, rest cold. */
    tiers: TierPolicy.default(TierPolicy.parse({ policy: 'capacity' })),
    /** Model-versus-rules evaluation settings. Default: 1000 bootstrap resamples. */
    evaluation: EvaluationConfig.default(EvaluationConfig.parse({})),
  })
  .strict();
export type TrainingConfig = z.infer<typeof TrainingConfig>;
