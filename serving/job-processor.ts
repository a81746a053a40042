import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { z } from 'zod';
import { InputError } from '../features/errors.ts';
import { formatZodError } from '../features/zod-error.ts';
import {
  EventJobData,
  JobKind,
  ScoreJobData,
  scoreBatchJobData,
  type LeadEvent,
  type LeadPayload,
  type TierChangedJobData,
} from './job-schemas.ts';
import type { Logger } from './logger.ts';
import { MicroBatcher, type MicroBatcherOptions } from './micro-batcher.ts';
import { roundContribution } from '../models/reasons.ts';
import type { LeadState, OnlineState, TierCommit } from './online-state.ts';
import { quickScoreBatchJobData, quickScoreJobData } from './payload-guards.ts';
import type { BatchLeadResult, EventResult, ScoreBatchResult, ScoreResult } from './result-schemas.ts';
import type { InputSchema, LeadInput, LeadScoreResult } from './servable-model.ts';
import { InputContracts, type InputContractOptions } from './input-contracts.ts';
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
  /** The served model's input schema, for the attribute checks; undefined: unchecked. */
  inputSchema?: () => InputSchema | undefined;
  /** Size, attribute and time checks of payloads (see InputContracts). Defaults as there. */
  contracts?: InputContractOptions;
  /** Told every completed job's result (the scores table feed). Default none. */
  onResult?: (out: ScoreResult | ScoreBatchResult | EventResult) => void;
}

/**
 * Turns one job into a result: validates the payload (a bad one fails at once, without
 * retries, naming the bad field), scores through the micro-batcher, updates the online
 * state and announces tier changes. Redis and other transient errors are thrown as they
 * are, so BullMQ retries the job with the backoff its producer asked for.
 *
 * A stored score job costs one state round trip: its lead is scored first as if it had no
 * stored events, then stored with its tier committed in one step (STORE_SCORED). A lead
 * that does have stored events comes back with them, is scored again and committed.
 */
export class JobProcessor {
  private readonly batchSchema;
  private readonly now: () => number;
  private readonly batcher: MicroBatcher<LeadInput, LeadScoreResult>;
  private readonly contracts: InputContracts;
  private readonly schema: () => InputSchema | undefined;

  constructor(private readonly deps: JobProcessorDeps) {
    this.batchSchema = scoreBatchJobData(deps.maxBatchLeads);
    this.now = deps.now ?? Date.now;
    this.contracts = new InputContracts(deps.contracts ?? {}, deps.metrics);
    this.schema = deps.inputSchema ?? (() => undefined);
    this.batcher = new MicroBatcher<LeadInput, LeadScoreResult>(
      (inputs) => deps.scoreLeads(inputs),
      deps.batching,
      (n) => deps.metrics.batchSize.observe(n),
    );
  }

  /** The BullMQ processor function. */
  async process(job: Job): Promise<ScoreResult | ScoreBatchResult | EventResult> {
    const started = performance.now();
    const kind = JOB_KINDS.has(job.name) ? (job.name as JobKind) : undefined;
    const kindLabel = kind ?? 'unknown';
    try {
      if (kind === undefined)
        throw new UnrecoverableError(
          `invalid job: unknown kind "${String(job.name).slice(0, 64)}"; expected score, score-batch or event`,
        );
      this.contracts.checkSize(job.data);
      const out = await this.dispatch(kind, job);
      this.deps.onResult?.(out);
      this.deps.metrics.jobs.inc({ kind: kindLabel, outcome: 'completed' });
      // Lead ids identify people in a CRM: only at debug level.
      if (this.deps.log.isLevelEnabled('debug') && 'leadId' in out)
        this.deps.log.debug({ jobId: job.id, kind, leadId: out.leadId, tier: out.tier }, 'job completed');
      return out;
    } catch (caught) {
      // Whatever the payload caused fails at once: retrying cannot help.
      const err = caught instanceof InputError ? invalidPayload(caught) : caught;
      const invalid = err instanceof UnrecoverableError;
      this.deps.metrics.jobs.inc({ kind: kindLabel, outcome: invalid ? 'invalid' : 'failed' });
      this.deps.log.warn(
        { jobId: job.id, kind: kindLabel, attempt: job.attemptsMade + 1, err: loggableMessage(err) },
        invalid ? 'job rejected' : 'job failed',
      );
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
        const data =
          quickScoreBatchJobData(job.data, this.deps.maxBatchLeads) ?? parsePayload(this.batchSchema, job.data);
        return this.scoreMany(data.leads, data.store ?? false, jobId);
      }
      case 'event':
        return this.recordEvent(parsePayload(EventJobData, job.data), jobId);
    }
  }

  private async scoreOne(lead: LeadPayload, store: boolean, jobId: string): Promise<ScoreResult> {
    const now = this.now();
    const warning = this.contracts.checkLeads([lead], () => 'lead', store, this.schema(), now)?.[0];
    const input = payloadInput(lead, now);
    const [scored] = await this.score([input]);
    let result = this.toResult(scored!, input.asOf, now);
    if (store) result = await this.storeScored(lead, input, result, 'score', jobId, 0);
    this.deps.metrics.tiers.inc({ tier: result.tier });
    if (warning) result.warnings = [warning];
    return result;
  }

  /**
   * Scores a batch in one model call (the micro-batcher keeps a job's leads together), so
   * one model version and one scoring time stand for all its leads.
   */
  private async scoreMany(leads: LeadPayload[], store: boolean, jobId: string): Promise<ScoreBatchResult> {
    const now = this.now();
    const warnings = this.contracts.checkLeads(leads, (i) => `leads.${i}`, store, this.schema(), now);
    const inputs = new Array<LeadInput>(leads.length);
    for (let i = 0; i < leads.length; i++) inputs[i] = payloadInput(leads[i]!, now);
    const scored = await this.score(inputs);
    const modelVersion = scored[0]!.modelVersion;
    let results: BatchLeadResult[];
    if (store) {
      const stored = await Promise.all(
        scored.map((r, i) =>
          this.storeScored(leads[i]!, inputs[i]!, this.toResult(r, inputs[i]!.asOf, now), 'score-batch', jobId, i),
        ),
      );
      results = stored.map((r) => batchLeadResult(r, r.asOf, modelVersion, r.reasons));
    } else {
      results = new Array<BatchLeadResult>(scored.length);
      for (let i = 0; i < scored.length; i++) results[i] = batchLeadResult(scored[i]!, inputs[i]!.asOf, modelVersion);
    }
    const perTier = new Map<string, number>();
    for (const r of results) perTier.set(r.tier, (perTier.get(r.tier) ?? 0) + 1);
    for (const [tier, n] of perTier) this.deps.metrics.tiers.inc({ tier }, n);
    if (warnings) warnings.forEach((w, i) => w && (results[i]!.warnings = [w]));
    return { modelVersion, scoredAt: now, results };
  }

  /**
   * Stores a scored payload lead and commits its tier (one round trip), announcing a change.
   * A lead scored without the events kept for it is scored again with them first. A first
   * tier from a score job is no change: the caller has the result in hand.
   */
  private async storeScored(
    lead: LeadPayload,
    input: LeadInput,
    scored: ScoreResult,
    kind: JobKind,
    jobId: string,
    index: number,
  ): Promise<ScoreResult> {
    const commitId = `${jobId}-${index}`;
    let result = scored;
    const stored = await this.deps.state.storeScored(
      lead.leadId,
      lead.attributes,
      !lead.events,
      result.tier,
      result.score,
      commitId,
    );
    let commit: TierCommit;
    if ('commit' in stored) commit = stored.commit;
    else {
      const before = stored.rescore;
      const [again] = await this.score([{ ...input, events: before.events }]);
      result = this.toResult(again!, input.asOf, scored.scoredAt);
      commit = await this.settleTier(result, before, commitId);
    }
    if (commit.changed && commit.oldTier !== null)
      await this.announce(result, commit.oldTier, commit.oldScore, kind, jobId, index);
    return result;
  }

  private async recordEvent(data: EventJobData, jobId: string): Promise<EventResult> {
    const now = this.now();
    const warning = this.contracts.checkEvent(data, this.schema(), now);
    // Without an event id, the job id stands in: a redelivered job still counts once.
    const event = { ...data.event, eventId: data.event.eventId ?? `job-${jobId}` };
    const { duplicate, state } = await this.deps.state.recordEvent(event, data.attributes);
    // Scored as of now, but never before the event just recorded (a producer's clock may run ahead).
    const asOf = Math.max(now, event.at + 1);
    const [scored] = await this.score([
      { leadId: event.leadId, attributes: state.attributes ?? {}, events: state.events, asOf },
    ]);
    const result = this.toResult(scored!, asOf, now);
    this.deps.metrics.tiers.inc({ tier: result.tier });
    const commit = await this.settleTier(result, state, jobId);
    if (commit.changed) await this.announce(result, commit.oldTier, commit.oldScore, 'event', jobId, 0);
    if (warning) result.warnings = [warning];
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
        this.deps.state
          .refreshScore(r.leadId, r.tier, r.score)
          .catch((err: unknown) => this.deps.log.warn({ err: errorMessage(err) }, 'score refresh failed'));
      }
      return { changed: false, oldTier: before.tier, oldScore: before.score };
    }
    return this.deps.state.commitTier(r.leadId, r.tier, r.score, commitId);
  }

  private async score(inputs: LeadInput[]): Promise<LeadScoreResult[]> {
    try {
      return await this.batcher.run(inputs);
    } catch (err) {
      // The model refusing a lead's values is the payload's fault: retrying cannot help.
      if (err instanceof InputError) throw invalidPayload(err);
      throw err;
    }
  }

  private toResult(r: LeadScoreResult, asOf: number, scoredAt: number): ScoreResult {
    // Built in place rather than spread into a new object: this runs for every score job.
    const out = batchLeadResult(r, asOf, null) as ScoreResult;
    out.scoredAt = scoredAt;
    return out;
  }

  private async announce(
    r: ScoreResult,
    oldTier: string | null,
    oldScore: number | null,
    kind: JobKind,
    jobId: string,
    index: number,
  ): Promise<void> {
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
    // Lead ids identify people in a CRM: only at debug level.
    if (this.deps.log.isLevelEnabled('debug'))
      this.deps.log.debug({ jobId, leadId: r.leadId, oldTier, newTier: r.tier }, 'tier changed');
    else this.deps.log.info({ jobId, oldTier, newTier: r.tier }, 'tier changed');
  }
}

/**
 * A batch lead's result: its model version only when it is not the batch's (always when
 * `batchVersion` is null). The numbers of ScoreResult's fields come straight from the
 * model's result (`r` may be either); `reasons`, those of a result already made, are not
 * rounded again.
 */
function batchLeadResult(
  r: LeadScoreResult | ScoreResult,
  asOf: number,
  batchVersion: string | null,
  reasons = roundReasons(r.reasons),
): BatchLeadResult {
  const out: BatchLeadResult = {
    leadId: r.leadId,
    probability: r.probability,
    score: r.score,
    tier: r.tier,
    ruleScore: r.ruleScore,
    ruleTier: r.ruleTier,
    reasons,
    asOf,
  };
  if (r.modelVersion !== batchVersion) out.modelVersion = r.modelVersion;
  return out;
}

/**
 * Rounds the contributions of a result's reasons to 4 decimals, in place (the model makes
 * new reasons for every call). Shorter numbers are also quicker to serialise: a 1000-lead
 * batch result is about a tenth smaller.
 */
function roundReasons<R extends { contribution: number }>(reasons: R[]): R[] {
  for (const r of reasons) r.contribution = roundContribution(r.contribution);
  return reasons;
}

/** The events of a lead that carries none (shared: the model only reads them). */
const NO_EVENTS: readonly LeadEvent[] = Object.freeze([]);

/**
 * A payload lead as model input: its own events (if any; read as they are, not copied: they
 * are the lead's whatever leadId they carry), as of its asOf or `now`.
 */
function payloadInput(l: LeadPayload, now: number): LeadInput {
  return { leadId: l.leadId, attributes: l.attributes, events: l.events ?? NO_EVENTS, asOf: l.asOf ?? now };
}

/** Parses a job payload; a bad one becomes an UnrecoverableError naming the field. */
export function parsePayload<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new UnrecoverableError(
    `invalid payload: ${formatZodError(parsed.error, { root: '(payload)', maxIssues: 1, value: data })}`,
  );
}

/** The UnrecoverableError of a payload's InputError; its log message keeps the values out. */
function invalidPayload(err: InputError): UnrecoverableError {
  const out = new UnrecoverableError(`invalid payload: ${err.message}`);
  const safe = err.details?.['logMessage'];
  if (typeof safe === 'string') Object.assign(out, { logMessage: `invalid payload: ${safe}` });
  return out;
}

/**
 * An error's message for a log line: errors whose message quotes a lead's values carry a
 * `logMessage` without them (attribute values are personal data).
 */
function loggableMessage(err: unknown): string {
  const safe = (err as { logMessage?: unknown } | null)?.logMessage;
  return typeof safe === 'string' ? safe : errorMessage(err);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
