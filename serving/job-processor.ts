import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { z } from 'zod';
import { InputError } from '../features/errors.ts';
import { EventJobData, JobKind, ScoreJobData, scoreBatchJobData, type LeadPayload, type TierChangedJobData } from './job-schemas.ts';
import type { Logger } from './logger.ts';
import { MicroBatcher, type MicroBatcherOptions } from './micro-batcher.ts';
import type { LeadState, OnlineState, TierCommit } from './online-state.ts';
import { quickScoreBatchJobData, quickScoreJobData } from './payload-guards.ts';
import type { EventResult, ScoreBatchResult, ScoreResult } from './result-schemas.ts';
import type { LeadInput, LeadScoreResult } from './servable-model.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

/** The job names JobKind accepts, for a lookup per job. */
const JOB_KINDS: ReadonlySet<string> = new Set(JobKind.options);

/** What the processor needs from the worker around it. */
export interface JobProcessorDeps {
  state: OnlineState;
  /** Scores leads with the served model (one call for all of them). */
  scoreLeads: (inputs: LeadInput[]) => Promise<LeadScoreResult[]>;
  /** Micro-batching of model calls across jobs. Defaults: 256 leads, 2 ms. */
  batching?: MicroBatcherOptions;
  tierChanged: Queue;
  metrics: WorkerMetrics;
  log: Logger;
  maxBatchLeads: number;
  /** The clock, injectable for tests. Default Date.now. */
  now?: () => number;
}

/**
 * One lead for a combined model call: a payload lead (stored in the online state first when
 * `store`, and scored with the stored events when it carries none), or a ready input.
 */
type ScoreRequest = { lead: LeadPayload; store: boolean; asOf: number; input?: undefined } | { input: LeadInput };

/** A scored request: the model's result, the time it was scored as of, and the lead's state read before. */
interface Scored {
  result: LeadScoreResult;
  asOf: number;
  state: LeadState | null;
}

/**
 * Turns one job into a result: validates the payload (a bad one fails at once, without
 * retries, naming the bad field), reads and updates the online state, scores through the
 * micro-batcher and announces tier changes. Redis and other transient errors are thrown
 * as they are, so BullMQ retries the job with the backoff its producer asked for.
 *
 * The jobs gathered by the micro-batcher store their leads in one go (the commands leave
 * together, auto-pipelined) before their one model call.
 */
export class JobProcessor {
  private readonly batchSchema;
  private readonly now: () => number;
  private readonly batcher: MicroBatcher<ScoreRequest, Scored>;

  constructor(private readonly deps: JobProcessorDeps) {
    this.batchSchema = scoreBatchJobData(deps.maxBatchLeads);
    this.now = deps.now ?? Date.now;
    this.batcher = new MicroBatcher<ScoreRequest, Scored>((requests) => this.scoreRequests(requests), deps.batching, (n) => deps.metrics.batchSize.observe(n));
  }

  /** The BullMQ processor function. */
  async process(job: Job): Promise<ScoreResult | ScoreBatchResult | EventResult> {
    const started = performance.now();
    const kind = JOB_KINDS.has(job.name) ? (job.name as JobKind) : undefined;
    const kindLabel = kind ?? 'unknown';
    try {
      if (kind === undefined) throw new UnrecoverableError(`invalid job: unknown kind "${String(job.name).slice(0, 64)}"; expected score, score-batch or event`);
      const out = await this.dispatch(kind, job);
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

  /** Resolves when every model call started so far has finished. */
  drain(): Promise<void> {
    return this.batcher.drain();
  }

  private async dispatch(kind: JobKind, job: Job): Promise<ScoreResult | ScoreBatchResult | EventResult> {
    const jobId = String(job.id);
    switch (kind) {
      case 'score': {
        const data = quickScoreJobData(job.data) ?? parsePayload(ScoreJobData, job.data);
        return this.scoreOne(data.lead, data.store ?? true, jobId);
      }
      case 'score-batch': {
        const data = quickScoreBatchJobData(job.data, this.deps.maxBatchLeads) ?? parsePayload(this.batchSchema, job.data);
        return { results: await this.scoreMany(data.leads, data.store ?? false, jobId) };
      }
      case 'event':
        return this.recordEvent(parsePayload(EventJobData, job.data), jobId);
    }
  }

  private async scoreOne(lead: LeadPayload, store: boolean, jobId: string): Promise<ScoreResult> {
    const now = this.now();
    const [scored] = await this.score([{ lead, store, asOf: lead.asOf ?? now }]);
    const result = this.toResult(scored!.result, scored!.asOf, now);
    this.deps.metrics.tiers.inc({ tier: result.tier });
    // A first tier from a score job is no change: the caller has the result in hand.
    if (store) await this.settleAndAnnounce(result, scored!.state!, 'score', jobId, 0, false);
    return result;
  }

  private async scoreMany(leads: LeadPayload[], store: boolean, jobId: string): Promise<ScoreResult[]> {
    const now = this.now();
    const requests = new Array<ScoreRequest>(leads.length);
    for (let i = 0; i < leads.length; i++) requests[i] = { lead: leads[i]!, store, asOf: leads[i]!.asOf ?? now };
    const scored = await this.score(requests);
    const results = new Array<ScoreResult>(scored.length);
    const perTier = new Map<string, number>();
    for (let i = 0; i < scored.length; i++) {
      const r = this.toResult(scored[i]!.result, scored[i]!.asOf, now);
      results[i] = r;
      perTier.set(r.tier, (perTier.get(r.tier) ?? 0) + 1);
    }
    for (const [tier, n] of perTier) this.deps.metrics.tiers.inc({ tier }, n);
    if (store) await Promise.all(results.map((r, i) => this.settleAndAnnounce(r, scored[i]!.state!, 'score-batch', jobId, i, false)));
    return results;
  }

  /**
   * The combined call of the micro-batcher: stores the payload leads that ask for it (all
   * at once, so their commands share a round trip), then scores every lead in one model call.
   */
  private async scoreRequests(requests: ScoreRequest[]): Promise<Scored[]> {
    let states: (LeadState | null)[] | undefined;
    if (requests.some((r) => r.input === undefined && r.store)) {
      states = await Promise.all(requests.map((r) => (r.input === undefined && r.store ? this.deps.state.storeLead(r.lead.leadId, r.lead.attributes, !r.lead.events) : null)));
    }
    const inputs = new Array<LeadInput>(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i]!;
      if (r.input !== undefined) {
        inputs[i] = r.input;
        continue;
      }
      const l = r.lead;
      inputs[i] = {
        leadId: l.leadId,
        attributes: l.attributes,
        events: l.events ? l.events.map((e) => ({ ...e, leadId: l.leadId })) : (states?.[i]?.events ?? []),
        asOf: r.asOf,
      };
    }
    const results = await this.deps.scoreLeads(inputs);
    if (results.length !== inputs.length) throw new Error(`the model returned ${results.length} results for ${inputs.length} leads`);
    const out = new Array<Scored>(results.length);
    for (let i = 0; i < results.length; i++) out[i] = { result: results[i]!, asOf: inputs[i]!.asOf, state: states?.[i] ?? null };
    return out;
  }

  /** Records the scored lead's tier and announces a change (a first tier only when `announceFirst`). */
  private async settleAndAnnounce(r: ScoreResult, before: LeadState, kind: JobKind, jobId: string, index: number, announceFirst: boolean): Promise<TierCommit> {
    const commit = await this.settleTier(r, before, index === 0 && kind === 'event' ? jobId : `${jobId}-${index}`);
    if (commit.changed && (announceFirst || commit.oldTier !== null)) await this.announce(r, commit.oldTier, commit.oldScore, kind, jobId, index);
    return commit;
  }

  private async recordEvent(data: EventJobData, jobId: string): Promise<EventResult> {
    const now = this.now();
    // Without an event id, the job id stands in: a redelivered job still counts once.
    const event = { ...data.event, eventId: data.event.eventId ?? `job-${jobId}` };
    const { duplicate, state } = await this.deps.state.recordEvent(event, data.attributes);
    // Scored as of now, but never before the event just recorded (a producer's clock may run ahead).
    const asOf = Math.max(now, event.at + 1);
    const [scored] = await this.score([{ input: { leadId: event.leadId, attributes: state.attributes ?? {}, events: state.events, asOf } }]);
    const result = this.toResult(scored!.result, asOf, now);
    this.deps.metrics.tiers.inc({ tier: result.tier });
    const commit = await this.settleAndAnnounce(result, state, 'event', jobId, 0, true);
    return { result, duplicate, previousTier: commit.oldTier, tierChanged: commit.changed };
  }

  /**
   * Records the lead's new tier. When it is the tier read before scoring, only the score is
   * refreshed, without waiting: nothing to announce, and a round trip off the job's path.
   * A re-run of the job that made the last change goes the full way, to announce it again.
   */
  private async settleTier(r: ScoreResult, before: LeadState, commitId: string): Promise<TierCommit> {
    if (before.tier === r.tier && before.changedBy !== commitId) {
      // An unchanged score needs no write at all.
      if (before.score !== r.score) {
        this.deps.state.refreshScore(r.leadId, r.tier, r.score).catch((err: unknown) => this.deps.log.warn({ leadId: r.leadId, err: errorMessage(err) }, 'score refresh failed'));
      }
      return { changed: false, oldTier: before.tier, oldScore: before.score };
    }
    return this.deps.state.commitTier(r.leadId, r.tier, r.score, commitId);
  }

  private async score(requests: ScoreRequest[]): Promise<Scored[]> {
    try {
      return await this.batcher.run(requests);
    } catch (err) {
      // The model refusing a lead's values is the payload's fault: retrying cannot help.
      if (err instanceof InputError) throw new UnrecoverableError(`invalid payload: ${err.message}`);
      throw err;
    }
  }

  private toResult(r: LeadScoreResult, asOf: number, scoredAt: number): ScoreResult {
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

