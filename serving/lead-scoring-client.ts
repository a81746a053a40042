import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { InputError, LifecycleError } from '../features/errors.ts';
import { formatZodError } from '../features/zod-error.ts';
import type { EngagementEvent } from '../features/events.ts';
import {
  EventJobData,
  ScoreJobData,
  scoreBatchJobData,
  DEFAULT_MAX_BATCH_LEADS,
  DEFAULT_QUEUE,
  type JobKind,
  type LeadPayload,
} from './job-schemas.ts';
import { connectRedis, queueLocation, redactRedisUrl, type RedisClient, type RedisTls } from './redis-connection.ts';
import { quickScoreBatchResult } from './payload-guards.ts';
import { batchScoreResults, EventResult, ScoreBatchResult, ScoreResult } from './result-schemas.ts';
import { ignore, within } from './within.ts';

/** Options of the client; every field has a default. */
export interface LeadScoringClientOptions {
  /** Redis URL (`redis://` or `rediss://`). Default redis://127.0.0.1:6379. */
  redisUrl?: string;
  /**
   * `redisUrl` names seed nodes of a Redis Cluster (a comma-separated list of URLs); `prefix`
   * must then carry a hash tag, as the worker's does. Default false.
   */
  cluster?: boolean;
  /**
   * For a `rediss://` URL: the CA that signed the server's certificate when it is a private
   * one, and a client certificate and key when the server asks for one (PEM text). Default none.
   */
  tls?: RedisTls;
  /** Scoring queue name; must match the worker's. Default `leadscore`. */
  queue?: string;
  /** BullMQ key prefix; must match the worker's. Default `bull`. */
  prefix?: string;
  /** How long (ms) a call waits for its result before rejecting. Default 10000. */
  timeoutMs?: number;
  /** Largest `scoreBatch`, checked before sending; match the worker's. Default 5000. */
  maxBatchLeads?: number;
  /**
   * Options of every job. Default: 3 attempts with exponential backoff from 100 ms
   * (transient faults), results kept for an hour so a late waiter still finds them.
   */
  jobOptions?: JobsOptions;
}

/**
 * A service's handle on the scoring worker: adds `score`, `score-batch` and `event` jobs
 * and resolves to their results, waiting through BullMQ queue events. A payload is
 * validated before it is sent (InputError naming the field); a job the worker rejects
 * or that outlives `timeoutMs` rejects the call.
 */
export class LeadScoringClient {
  private readonly connection: RedisClient;
  private readonly eventsConnection: RedisClient;
  private readonly queue: Queue;
  private listening: Promise<QueueEvents> | undefined;
  /** The events listener once made (it may still be connecting). */
  private events: QueueEvents | undefined;
  private closed = false;
  private readonly name: string;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly url: string;
  private readonly batchSchema;

  constructor(options: LeadScoringClientOptions = {}) {
    const { target, prefix } = queueLocation(options);
    const name = options.queue ?? DEFAULT_QUEUE;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.url = target.url;
    this.batchSchema = scoreBatchJobData(options.maxBatchLeads ?? DEFAULT_MAX_BATCH_LEADS);
    this.connection = connectRedis(target, 'producer');
    // Queue events read with a blocking command, which needs a connection that waits.
    this.eventsConnection = connectRedis(target, 'worker');
    this.queue = new Queue(name, {
      connection: this.connection,
      prefix,
      defaultJobOptions: options.jobOptions ?? {
        attempts: 3,
        backoff: { type: 'exponential', delay: 100 },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 24 * 3600 },
      },
    });
    this.name = name;
    this.prefix = prefix;
    // Every waiting call listens on both; hundreds in flight are normal.
    this.queue.setMaxListeners(0);
    // Connection trouble surfaces on the calls; keep it from ending the process.
    this.queue.on('error', ignore);
    this.connection.on('error', ignore);
    this.eventsConnection.on('error', ignore);
  }

  /**
   * The queue-events listener, started once. It reads the events stream from its last entry
   * as it is now, not from whatever is newest when its first blocking read happens to start:
   * a job finished in between would otherwise never be heard of and its call would time out.
   */
  private listen(): Promise<QueueEvents> {
    this.listening ??= (async () => {
      await this.queue.waitUntilReady();
      const [last] = await this.connection.xrevrange(this.queue.keys.events!, '+', '-', 'COUNT', 1);
      // Closed meanwhile: no listener is made that nothing would close.
      if (this.closed) throw new LifecycleError('LeadScoringClient: closed');
      const events = new QueueEvents(this.name, {
        connection: this.eventsConnection,
        prefix: this.prefix,
        lastEventId: last?.[0] ?? '0-0',
      });
      this.events = events;
      events.setMaxListeners(0);
      events.on('error', ignore);
      await events.waitUntilReady();
      return events;
    })().catch((err: unknown) => {
      this.listening = undefined;
      throw err;
    });
    return this.listening;
  }

  /** Resolves once both the queue and its events listener are connected; rejects if that takes over `timeoutMs`. */
  async ready(): Promise<void> {
    await within(Promise.all([this.queue.waitUntilReady(), this.listen()]), this.timeoutMs, () =>
      this.unreachable('ready'),
    );
  }

  /** Scores one lead (and keeps it in the online state unless `store` is false). */
  async score(lead: LeadPayload, options: { store?: boolean } = {}): Promise<ScoreResult> {
    const data = check(ScoreJobData, { lead, ...options }, 'lead');
    return ScoreResult.parse(await this.run('score', data));
  }

  /** Scores many leads in one job; results come back in the same order. */
  async scoreBatch(leads: LeadPayload[], options: { store?: boolean } = {}): Promise<ScoreResult[]> {
    const data = check(this.batchSchema, { leads, ...options }, 'batch');
    const value = await this.run('score-batch', data);
    return batchScoreResults(quickScoreBatchResult(value) ?? ScoreBatchResult.parse(value));
  }

  /** Records an engagement event; resolves to the lead's new score and whether its tier changed. */
  async track(event: EngagementEvent, options: { attributes?: EventJobData['attributes'] } = {}): Promise<EventResult> {
    const data = check(EventJobData, { event, ...options }, 'event');
    return EventResult.parse(await this.run('event', data));
  }

  /** Closes the queue and the events listener. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.events?.close(), this.queue.close()]);
    // A connection that is not up (Redis unreachable) is dropped at once: quitting would
    // wait for it to connect first.
    await Promise.allSettled(
      [this.connection, this.eventsConnection].map(async (c) => (c.status === 'ready' ? c.quit() : c.disconnect())),
    );
  }

  /**
   * Adds a job and waits for its result, all within `timeoutMs`: a Redis that cannot be
   * reached (down, or refusing the client's TLS) fails the call in time too, instead of
   * leaving it waiting for a connection. A job added before the time runs out still runs.
   */
  private async run(kind: JobKind, data: unknown): Promise<unknown> {
    const deadline = performance.now() + this.timeoutMs;
    const left = () => Math.max(1, deadline - performance.now());
    const unreachable = () => this.unreachable(kind);
    const events = await within(this.listen(), left(), unreachable);
    const job = await within(this.queue.add(kind, data), left(), unreachable);
    return job.waitUntilFinished(events, left());
  }

  private unreachable(what: string): Error {
    return new Error(`${what}: Redis not reachable within ${this.timeoutMs} ms (${redactRedisUrl(this.url)})`);
  }
}

function check<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InputError(`${what}: ${formatZodError(parsed.error, { root: '(value)', maxIssues: 3, value })}`);
}
