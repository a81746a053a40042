import { z } from 'zod';

/** One reason behind a score: a readable phrase and its contribution on the log-odds scale. */
export const ScoreReason = z.object({ text: z.string(), contribution: z.number() }).strict();
export type ScoreReason = z.infer<typeof ScoreReason>;

/** The result of scoring one lead, what `score` jobs return and `LeadScoringClient.score` resolves to. */
export const ScoreResult = z
  .object({
    leadId: z.string(),
    /** Calibrated conversion probability. */
    probability: z.number(),
    /** 0-100. */
    score: z.number(),
    tier: z.string(),
    /** The rule engine's points and tier beside the model, when the artifact carries rules. */
    ruleScore: z.number().nullable(),
    ruleTier: z.string().nullable(),
    reasons: z.array(ScoreReason),
    modelVersion: z.string(),
    /** When the lead was scored (epoch ms). */
    scoredAt: z.number(),
    /** The time the features were taken at (epoch ms). */
    asOf: z.number(),
  })
  .strict();
export type ScoreResult = z.infer<typeof ScoreResult>;

/** What a `score-batch` job returns: one result per lead, in payload order. */
export const ScoreBatchResult = z.object({ results: z.array(ScoreResult) }).strict();
export type ScoreBatchResult = z.infer<typeof ScoreBatchResult>;

/** What an `event` job returns. */
export const EventResult = z
  .object({
    result: ScoreResult,
    /** True when the event id had been seen before: it was not counted again. */
    duplicate: z.boolean(),
    /** The tier before this rescoring; null when the lead had none. */
    previousTier: z.string().nullable(),
    tierChanged: z.boolean(),
  })
  .strict();
export type EventResult = z.infer<typeof EventResult>;
