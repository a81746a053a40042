import { z } from 'zod';

/** One reason behind a score: a readable phrase and its contribution on the log-odds scale, to 4 decimals. */
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
    /**
     * What the worker noticed but did not refuse, such as attribute names the model does
     * not read (`unknown attributes ignored ...`). Absent when there is nothing to say.
     */
    warnings: z.array(z.string()).optional(),
  })
  .strict();
export type ScoreResult = z.infer<typeof ScoreResult>;

/**
 * One lead's result in a `score-batch` job: a ScoreResult whose model version and scoring
 * time are the batch's (given once for all its leads). `modelVersion` is present only on a
 * lead scored by another version than the batch's: a stored lead rescored with its kept
 * events after a new model was swapped in mid-job.
 */
export const BatchLeadResult = ScoreResult.omit({ modelVersion: true, scoredAt: true })
  .extend({ modelVersion: z.string().optional() })
  .strict();
export type BatchLeadResult = z.infer<typeof BatchLeadResult>;

/**
 * What a `score-batch` job returns: the model version and scoring time of the batch, and one
 * result per lead, in payload order (LeadScoringClient.scoreBatch gives them back as
 * complete ScoreResults: see `batchScoreResults`).
 */
export const ScoreBatchResult = z
  .object({
    modelVersion: z.string(),
    /** When the batch was scored (epoch ms). */
    scoredAt: z.number(),
    results: z.array(BatchLeadResult),
  })
  .strict();
export type ScoreBatchResult = z.infer<typeof ScoreBatchResult>;

/** The leads of a `score-batch` result as complete ScoreResults, each with its version and time. */
export function batchScoreResults(batch: ScoreBatchResult): ScoreResult[] {
  return batch.results.map(({ modelVersion, ...r }) => ({
    ...r,
    modelVersion: modelVersion ?? batch.modelVersion,
    scoredAt: batch.scoredAt,
  }));
}

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
