import { z } from 'zod';
import { EngagementEvent } from '../features/events.ts';
import { LeadAttributes } from '../features/frame.ts';

/** Default name of the scoring queue. */
export const DEFAULT_QUEUE = 'leadscore';

/**
 * Job payloads, the public contract between a calling service and the scoring worker.
 * The job name (BullMQ's `name`) is the kind; the job's `data` matches the schema of that
 * kind. Unknown keys are rejected so a typo in a field name fails loudly.
 */

/** The kinds of job the scoring queue accepts. */
export const JobKind = z.enum(['score', 'score-batch', 'event']);
export type JobKind = z.infer<typeof JobKind>;

/** An engagement event in a payload: like `EngagementEvent`, the lead id is implied by the lead. */
export const LeadEvent = EngagementEvent.omit({ leadId: true })
  .extend({ leadId: z.string().min(1).optional() })
  .strict();
export type LeadEvent = z.infer<typeof LeadEvent>;

/** One lead to score. */
export const LeadPayload = z
  .object({
    leadId: z.string().min(1).max(256),
    attributes: LeadAttributes,
    /**
     * Recent engagement events to score with. Absent: the events kept in the online state
     * for this lead (fed by `event` jobs) are used.
     */
    events: z.array(LeadEvent).max(10_000).optional(),
    /** The time (epoch ms) the lead is scored as of. Default: the moment of scoring. */
    asOf: z.number().finite().optional(),
  })
  .strict();
export type LeadPayload = z.infer<typeof LeadPayload>;

/** `score`: one lead. */
export const ScoreJobData = z
  .object({
    lead: LeadPayload,
    /**
     * Keep the attributes and the tier in the online state, so later `event` jobs rescore
     * this lead and tier changes are announced. Default true.
     */
    store: z.boolean().optional(),
  })
  .strict();
export type ScoreJobData = z.infer<typeof ScoreJobData>;

/** Default largest number of leads in one `score-batch` job. */
export const DEFAULT_MAX_BATCH_LEADS = 5000;

/** `score-batch`: up to `maxLeads` leads in one job (the worker's `maxBatchLeads`, default 5000). */
export function scoreBatchJobData(maxLeads = DEFAULT_MAX_BATCH_LEADS) {
  return z
    .object({
      leads: z.array(LeadPayload).min(1).max(maxLeads),
      /** As for `score`, but default false: bulk rescoring rarely needs online state. */
      store: z.boolean().optional(),
    })
    .strict();
}
export const ScoreBatchJobData = scoreBatchJobData();
export type ScoreBatchJobData = z.infer<typeof ScoreBatchJobData>;

/** `event`: one engagement event; the worker records it in the lead's online state and rescores. */
export const EventJobData = z
  .object({
    event: EngagementEvent,
    /** Attributes to store for the lead first (a new or changed lead). Optional. */
    attributes: LeadAttributes.optional(),
  })
  .strict();
export type EventJobData = z.infer<typeof EventJobData>;

/** Data of a job on the tier-changed queue: the hand-off to CRM sync or sales alerts. */
export const TierChangedJobData = z
  .object({
    leadId: z.string(),
    /** The tier before; null when the lead had none (first scored by an event). */
    oldTier: z.string().nullable(),
    newTier: z.string(),
    oldScore: z.number().nullable(),
    newScore: z.number(),
    probability: z.number(),
    ruleScore: z.number().nullable(),
    ruleTier: z.string().nullable(),
    reasons: z.array(z.object({ text: z.string(), contribution: z.number() }).strict()),
    modelVersion: z.string(),
    /** The kind of job that caused the change, and its id. */
    cause: z.object({ kind: JobKind, jobId: z.string() }).strict(),
    /** Epoch ms. */
    changedAt: z.number(),
  })
  .strict();
export type TierChangedJobData = z.infer<typeof TierChangedJobData>;
