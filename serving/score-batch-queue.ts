import { Queue, QueueEvents } from 'bullmq';
import { InputError } from '../features/errors.ts';
import { DEFAULT_QUEUE, type LeadPayload } from './job-schemas.ts';
import { connectRedis, queueLocation, redactRedisUrl, type RedisClient, type RedisTarget } from './redis-connection.ts';
import type { LeadScoringClientOptions } from './lead-scoring-client.ts';
import { quickScoreBatchResult } from './payload-guards.ts';
import { ScoreBatchResult } from './result-schemas.ts';
import { ignore, within } from './within.ts';

/**
 * Options of a ScoreBatchQueue; every field has a default. Redis, queue and prefix as for
 * the client; `timeoutMs` bounds opening and every later call.
 */
export interface ScoreBatchQueueOptions extends Pick<
  LeadScoringClientOptions,
  'redisUrl' | 'cluster' | 'tls' | 'queue' | 'prefix' | 'timeoutMs'
> {
  /** How long (s) finished jobs, results included, stay in Redis. Default 86400. */
  keepSeconds?: number;
  /** How often (ms) unfinished jobs are looked at besides the queue's events. Default 1000. */
  pollMs?: number;
}

/** Where a job of the queue stands. */
export type BatchJobState =
  | { state: 'completed'; result: ScoreBatchResult; worker: string | undefined }
  | { state: 'failed'; reason: string }
  | { state: 'pending' }
  | { state: 'absent' };

/** A finished job: completed or failed for good. */
export type FinishedBatchJob = Extract<BatchJobState, { state: 'completed' | 'failed' }>;

/** Redis did not answer in time: one line, naming the server (without its password). */
export class RedisUnreachableError extends InputError {
  override name = 'RedisUnreachableError';
  constructor(url: string, ms: number, why?: string) {
    super(
      why
        ? `redis ${redactRedisUrl(url)}: not reachable (${why.split('\n')[0]})`
        : `redis ${redactRedisUrl(url)}: not reachable within ${ms} ms`,
    );
  }
}

/**
 * `score-batch` jobs with ids of the caller's choosing, for a producer that spreads a big
 * scoring run over the workers and may be restarted: a job id already in the queue is not
 * added again, a finished one is read back (`lookup`), and `waitFor` resolves when a job
 * finishes, heard through the queue's events and, in case an event was missed, by looking
 * at the unfinished jobs every `pollMs`. Finished jobs stay `keepSeconds`, then BullMQ
 * removes them.
 */
export class ScoreBatchQueue {
  private readonly waiters = new Map<string, (s: FinishedBatchJob) => void>();
  private readonly failures = new Set<(err: Error) => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly connections: RedisClient[],
    private readonly target: RedisTarget,
    private readonly timeoutMs: number,
    private readonly keepSeconds: number,
    pollMs: number,
  ) {
    events.on('completed', ({ jobId, returnvalue }) => void this.heard(jobId, returnvalue));
    events.on('failed', ({ jobId }) => void this.recheck(jobId));
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
  }

  /** Connects to the queue; a RedisUnreachableError when Redis does not answer within `timeoutMs`. */
  static async open(options: ScoreBatchQueueOptions = {}): Promise<ScoreBatchQueue> {
    const { target, prefix } = queueLocation(options);
    const name = options.queue ?? DEFAULT_QUEUE;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const producer = connectRedis(target, 'producer');
    // Queue events are read with a blocking command, which needs a connection that waits.
    const listener = connectRedis(target, 'worker');
    const connections = [producer, listener];
    for (const c of connections) c.on('error', ignore);
    const queue = new Queue(name, { connection: producer, prefix });
    queue.on('error', ignore);
    let events: QueueEvents | undefined;
    try {
      await within(queue.waitUntilReady(), timeoutMs, () => new RedisUnreachableError(target.url, timeoutMs));
      // From the newest event on: anything finished before is found by lookup.
      const [last] = await producer.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1);
      events = new QueueEvents(name, { connection: listener, prefix, lastEventId: last?.[0] ?? '0-0' });
      events.on('error', ignore);
      await within(events.waitUntilReady(), timeoutMs, () => new RedisUnreachableError(target.url, timeoutMs));
    } catch (err) {
      await Promise.allSettled([events?.close(), queue.close()]);
      connections.forEach((c) => c.disconnect());
      throw err instanceof InputError ? err : new RedisUnreachableError(target.url, timeoutMs, errorText(err));
    }
    return new ScoreBatchQueue(
      queue,
      events,
      connections,
      target,
      timeoutMs,
      options.keepSeconds ?? 86_400,
      options.pollMs ?? 1000,
    );
  }

  /** Where the job `jobId` stands; a completed job's result is checked against ScoreBatchResult. */
  async lookup(jobId: string): Promise<BatchJobState> {
    // The state first: a job read before it finishes would have no result yet.
    const state = await this.call(this.queue.getJobState(jobId));
    if (state === 'unknown') return { state: 'absent' };
    if (state !== 'completed' && state !== 'failed') return { state: 'pending' };
    // Only the fields wanted, not the job: its data (the chunk's leads) is as large as its result.
    const fields = await this.call(
      this.connections[0]!.hmget(this.queue.toKey(jobId), 'returnvalue', 'pb', 'failedReason'),
    );
    // Removed since its state was read (expired): as if it had never been.
    if (fields.every((v) => v === null)) return { state: 'absent' };
    const [returnvalue, worker, failedReason] = fields;
    if (state === 'failed') return { state: 'failed', reason: failedReason ?? 'failed' };
    return parseResult(jobId, parseJson(returnvalue), worker ?? undefined);
  }

  /**
   * Adds a `score-batch` job with id `jobId` (a job of that id still in the queue is left as
   * it is; a failed one is replaced). Transient faults are retried by BullMQ, 3 attempts.
   * `state`, where the job stood when the caller just looked it up, spares a round trip.
   */
  async add(jobId: string, leads: LeadPayload[], state?: BatchJobState['state']): Promise<void> {
    const failed =
      state === undefined ? (await this.call(this.queue.getJobState(jobId))) === 'failed' : state === 'failed';
    if (failed) await this.call(this.queue.remove(jobId));
    await this.call(
      this.queue.add(
        'score-batch',
        { leads, store: false },
        {
          jobId,
          attempts: 3,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: { age: this.keepSeconds },
          removeOnFail: { age: this.keepSeconds },
        },
      ),
    );
  }

  /** Removes a job (a completed one, say, whose result is not wanted); false when it is locked by a worker. */
  async remove(jobId: string): Promise<boolean> {
    return (await this.call(this.queue.remove(jobId))) === 1;
  }

  /** Resolves when the job finishes (at once if it has); rejects when Redis stops answering. */
  waitFor(jobId: string): Promise<FinishedBatchJob> {
    return new Promise<FinishedBatchJob>((resolve, reject) => {
      const fail = (err: Error): void => {
        this.waiters.delete(jobId);
        reject(err);
      };
      this.failures.add(fail);
      this.waiters.set(jobId, (s) => {
        this.waiters.delete(jobId);
        this.failures.delete(fail);
        resolve(s);
      });
      void this.recheck(jobId);
    });
  }

  /** A value of this queue's own (run bookkeeping), kept `keepSeconds`. */
  async setNote(name: string, value: string): Promise<void> {
    await this.call(this.connections[0]!.set(this.noteKey(name), value, 'EX', this.keepSeconds));
  }

  async getNote(name: string): Promise<string | null> {
    return this.call(this.connections[0]!.get(this.noteKey(name)));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    await Promise.allSettled(this.connections.map(async (c) => (c.status === 'ready' ? c.quit() : c.disconnect())));
  }

  private noteKey(name: string): string {
    // Beside the queue's keys: on a Redis Cluster, in the slot of the prefix's hash tag.
    return `${this.queue.keys['']}fan-out:${name}`;
  }

  private async heard(jobId: string, returnvalue: unknown): Promise<void> {
    const settle = this.waiters.get(jobId);
    if (!settle) return;
    try {
      const worker = await this.call(this.connections[0]!.hget(this.queue.toKey(jobId), 'pb'));
      settle(parseResult(jobId, returnvalue, worker ?? undefined));
    } catch (err) {
      this.fail(err);
    }
  }

  private async recheck(jobId: string): Promise<void> {
    if (!this.waiters.has(jobId)) return;
    try {
      const s = await this.lookup(jobId);
      if (s.state === 'completed' || s.state === 'failed') this.waiters.get(jobId)?.(s);
    } catch (err) {
      this.fail(err);
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const id of [...this.waiters.keys()]) await this.recheck(id);
    } finally {
      this.polling = false;
    }
  }

  private fail(err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    for (const f of [...this.failures]) f(e);
    this.failures.clear();
  }

  /** A Redis call that must answer within the timeout: otherwise a RedisUnreachableError. */
  private async call<T>(p: Promise<T>): Promise<T> {
    try {
      return await within(p, this.timeoutMs, () => new RedisUnreachableError(this.target.url, this.timeoutMs));
    } catch (err) {
      if (err instanceof InputError) throw err;
      if (isConnectionError(err)) throw new RedisUnreachableError(this.target.url, this.timeoutMs, errorText(err));
      throw err;
    }
  }
}

/** A job's stored JSON field; undefined when absent or not JSON (then not a result). */
function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseResult(jobId: string, value: unknown, worker: string | undefined): FinishedBatchJob {
  // Thousands of results a chunk: the quick check, and the schema only for what it refuses.
  const result = quickScoreBatchResult(value) ?? ScoreBatchResult.safeParse(value).data;
  if (!result) return { state: 'failed', reason: `job ${jobId}: not a score-batch result` };
  return { state: 'completed', result, worker };
}

const CONNECTION_ERROR = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|max retries|Connection is closed/i;

function isConnectionError(err: unknown): boolean {
  return err instanceof Error && CONNECTION_ERROR.test(`${err.message} ${(err as { code?: string }).code ?? ''}`);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
