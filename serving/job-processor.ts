import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { z } from 'zod';
import { InputError } from '../features/errors.ts';
import { EventJobData, JobKind, ScoreJobData, scoreBatchJobData, type LeadPayload, type TierChangedJobData } from './job-schemas.ts';
import type { Logger } from './logger.ts';
import type { MicroBatcher } from './micro-batcher.ts';
import type { LeadState, OnlineState, TierCommit } from './online-state.ts';
import type { EventResult, ScoreBatchResult, ScoreResult } from './result-schemas.ts';
import type { LeadInput, LeadScoreResult } from './servable-model.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

/** What the processor needs from the worker around it. */
export interface JobProcessorDeps {
  state: OnlineState;
  batcher: MicroBatcher<LeadInput, LeadScoreResult>;
  tierChanged: Queue;
  metrics: WorkerMetrics;
  log: Logger;
  maxBatchLeads: number;
  /** The clock, injectable for tests. Default Date.now. */
  now?: () => number;
}

/**
 * Turns one job into a result: validates the payload (a bad one fails at once, without
 * retries, naming the bad field), reads and updates the online state, scores through the
 * micro-batcher and announces tier changes. Redis and other transient errors are thrown
 * as they are, so BullMQ retries the job with the backoff its producer asked for.
 */
export class JobProcessor {
  private readonly batchSchema;
  private readonly now: () => number;

  constructor(private readonly deps: JobProcessorDeps) {
    this.batchSchema = scoreBatchJobData(deps.maxBatchLeads);
    this.now = deps.now ?? Date.now;
  }

  /** The BullMQ processor function. */
  async process(job: Job): Promise<ScoreResult | ScoreBatchResult | EventResult> {
    const started = performance.now();
    const kind = JobKind.safeParse(job.name);
    const kindLabel = kind.success ? kind.data : 'unknown';
    try {
      if (!kind.success) throw new UnrecoverableError(`invalid job: unknown kind "${String(job.name).slice(0, 64)}"; expected score, score-batch or event`);
      const out = await this.dispatch(kind.data, job);
      this.deps.metrics.jobs.inc({ kind: kindLabel, outcome: 'completed' });
      return out;
    } catch (err) {
      const invalid = err instanceof UnrecoverableError;
      this.deps.metrics.jobs.inc({ kind: kindLabel, outcome: invalid ? 'invalid' : 'failed' });
      this.deps.log.warn({ jobId: job.id, kind: kindLabel, attempt: job.attemptsMade + 1, err: errorMessage(err) }, invalid ? 'job rejected' : 'job failed');
      throw err;
    } finally {
      this.deps.metrics.latency.observe({ kind: kindLabel }, (performance.now() - started) / 1000);
    }
  }

  private async dispatch(kind: JobKind, job: Job): Promise<ScoreResult | ScoreBatchResult | EventResult> {
    const jobId = String(job.id);
    switch (kind) {
      case 'score': {
        const data = parsePayload(ScoreJobData, job.data);
        const [result] = await this.scoreLeads([data.lead], data.store ?? true, kind, jobId);
        return result!;
      }
      case 'score-batch': {
        const data = parsePayload(this.batchSchema, job.data);
        return { results: await this.scoreLeads(data.leads, data.store ?? false, kind, jobId) };
      }
      case 'event':
        return this.recordEvent(parsePayload(EventJobData, job.data), jobId);
    }
  }

  private async scoreLeads(leads: LeadPayload[], store: boolean, kind: JobKind, jobId: string): Promise<ScoreResult[]> {
    const now = this.now();
    const states: (LeadState | null)[] = store
      ? await Promise.all(leads.map((l) => this.deps.state.storeLead(l.leadId, l.attributes, !l.events)))
      : leads.map(() => null);
    const inputs = leads.map((l, i): LeadInput => ({
      leadId: l.leadId,
      attributes: l.attributes,
      events: l.events ? l.events.map((e) => ({ ...e, leadId: l.leadId })) : (states[i]?.events ?? []),
      asOf: l.asOf ?? now,
    }));
    const scored = await this.score(inputs);
    const results = scored.map((r, i) => this.toResult(r, inputs[i]!.asOf, now));
    if (store) {
      await Promise.all(
        results.map(async (r, i) => {
          const commit = await this.settleTier(r, states[i]!, `${jobId}-${i}`);
          // A first tier from a score job is no change: the caller has the result in hand.
          if (commit.changed && commit.oldTier !== null) await this.announce(r, commit.oldTier, commit.oldScore, kind, jobId, i);
        }),
      );
    }
    return results;
  }

  private async recordEvent(data: EventJobData, jobId: string): Promise<EventResult> {
    const now = this.now();
    // Without an event id, the job id stands in: a redelivered job still counts once.
    const event = { ...data.event, eventId: data.event.eventId ?? `job-${jobId}` };
    const { duplicate, state } = await this.deps.state.recordEvent(event, data.attributes);
    // Scored as of now, but never before the event just recorded (a producer's clock may run ahead).
    const asOf = Math.max(now, event.at + 1);
    const [scored] = await this.score([{ leadId: event.leadId, attributes: state.attributes ?? {}, events: state.events, asOf }]);
    const result = this.toResult(scored!, asOf, now);
    const commit = await this.settleTier(result, state, jobId);
    if (commit.changed) await this.announce(result, commit.oldTier, commit.oldScore, 'event', jobId, 0);
    return { result, duplicate, previousTier: commit.oldTier, tierChanged: commit.changed };
  }

  /**
   * Records the lead's new tier. When it is the tier read before scoring, only the score is
   * refreshed, without waiting: nothing to announce, and a round trip off the job's path.
   * A re-run of the job that made the last change goes the full way, to announce it again.
   */
  private async settleTier(r: ScoreResult, before: LeadState, commitId: string): Promise<TierCommit> {
    if (before.tier === r.tier && before.changedBy !== commitId) {
      this.deps.state.refreshScore(r.leadId, r.tier, r.score).catch((err: unknown) => this.deps.log.warn({ leadId: r.leadId, err: errorMessage(err) }, 'score refresh failed'));
      return { changed: false, oldTier: before.tier, oldScore: before.score };
    }
    return this.deps.state.commitTier(r.leadId, r.tier, r.score, commitId);
  }

  private async score(inputs: LeadInput[]): Promise<LeadScoreResult[]> {
    try {
      return await this.deps.batcher.run(inputs);
    } catch (err) {
      // The model refusing a lead's values is the payload's fault: retrying cannot help.
      if (err instanceof InputError) throw new UnrecoverableError(`invalid payload: ${err.message}`);
      throw err;
    }
  }

  private toResult(r: LeadScoreResult, asOf: number, scoredAt: number): ScoreResult {
    this.deps.metrics.tiers.inc({ tier: r.tier });
    return {
      leadId: r.leadId,
      probability: r.probability,
      score: r.score,
      tier: r.tier,
      ruleScore: r.ruleScore,
      ruleTier: r.ruleTier,
      reasons: r.reasons,
      modelVersion: r.modelVersion,
      scoredAt,
      asOf,
    };
  }

  private async announce(r: ScoreResult, oldTier: string | null, oldScore: number | null, kind: JobKind, jobId: string, index: number): Promise<void> {
    const data: TierChangedJobData = {
      leadId: r.leadId,
      oldTier,
      newTier: r.tier,
      oldScore,
      newScore: r.score,
      probability: r.probability,
      ruleScore: r.ruleScore,
      ruleTier: r.ruleTier,
      reasons: r.reasons,
      modelVersion: r.modelVersion,
      cause: { kind, jobId },
      changedAt: r.scoredAt,
    };
    // A fixed job id makes a re-run of this job (after a crash) add the announcement once.
    await this.deps.tierChanged.add('tier-changed', data, { jobId: `tier-${jobId}-${index}` });
    this.deps.metrics.tierChanges.inc();
    this.deps.log.info({ jobId, leadId: r.leadId, oldTier, newTier: r.tier }, 'tier changed');
  }
}

/** Parses a job payload; a bad one becomes an UnrecoverableError naming the field. */
export function parsePayload<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(payload)';
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  throw new UnrecoverableError(`invalid payload: ${where}: ${issue.message}${more}`);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

