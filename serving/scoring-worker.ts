import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import { Queue, Worker, type Job } from 'bullmq';
import { DEFAULT_MAX_BATCH_LEADS, DEFAULT_QUEUE } from './job-schemas.ts';
import { DEFAULT_MAX_LEADS_IN_FLIGHT, FetchWindow, leadsOfJob } from './fetch-window.ts';
import type { InputContractOptions } from './input-contracts.ts';
import { JobProcessor } from './job-processor.ts';
import { createLogger, type Logger } from './logger.ts';
import type { MicroBatcherOptions } from './micro-batcher.ts';
import { ModelHolder, type ModelSourceOptions } from './model-holder.ts';
import { OnlineState, type OnlineStateOptions } from './online-state.ts';
import { isAuthRefusal, RedisAuthError } from './redis-auth-error.ts';
import {
  connectRedis,
  DEFAULT_REDIS_URL,
  queueLocation,
  redactRedisUrl,
  type RedisClient,
  type RedisTls,
} from './redis-connection.ts';
import type { ModelLoader, ServableModel } from './servable-model.ts';
import { WorkerMetrics } from './worker-metrics.ts';
import { ScoreTableFeed, type ScoreTableOptions } from './score-table-feed.ts';
import { runEach } from './run-each.ts';

/** Options of a scoring worker; every field but `model` and `loader` has a default. */
export interface ScoringWorkerOptions extends ModelSourceOptions {
  /** Builds a model from artifact files (models/lead-model.ts `LeadModel.fromFiles`). */
  loader: ModelLoader;
  /** Redis URL, `redis://` or `rediss://` (TLS), with user and password if needed. Default redis://127.0.0.1:6379. */
  redisUrl?: string;
  /**
   * `redisUrl` names seed nodes of a Redis Cluster (a comma-separated list of URLs); `prefix`
   * must then carry a hash tag. Default false.
   */
  cluster?: boolean;
  /** CA, client certificate and key (PEM text) for a `rediss://` URL; see RedisTls. Default none. */
  redisTls?: RedisTls;
  /** Scoring queue name. Default `leadscore`. */
  queue?: string;
  /** Queue that receives `tier-changed` jobs. Default `<queue>-tier-changed`. */
  tierChangedQueue?: string;
  /** BullMQ key prefix; use a hash tag such as `{leadscore}` on Redis Cluster. Default `bull`. */
  prefix?: string;
  /** Jobs processed at once by this worker; they share model calls. Default 64. */
  concurrency?: number;
  /** Largest `score-batch` job in leads. Default 5000. */
  maxBatchLeads?: number;
  /**
   * Leads of the jobs taken from the queue at once, roughly: while `score-batch` jobs come,
   * fewer than `concurrency` jobs are taken (see FetchWindow). Default 5000.
   */
  maxLeadsInFlight?: number;
  /** Micro-batching of model calls across jobs. Defaults: 256 leads, 2 ms. */
  batching?: MicroBatcherOptions;
  /** Online per-lead state (TTL, events kept). See OnlineStateOptions for defaults. */
  state?: OnlineStateOptions;
  /** Payload checks: strict attributes, clock skew, size caps. See InputContractOptions for defaults. */
  contracts?: InputContractOptions;
  /** How often (ms) to look for jobs of a dead worker. Default 30000 (BullMQ's). */
  stalledIntervalMs?: number;
  /** How long (ms) a job stays locked to this worker without renewal. Default 30000 (BullMQ's). */
  lockDurationMs?: number;
  /** Also write each scored lead to a PostgreSQL table, in batches. Default none. */
  scoreTable?: ScoreTableOptions;
  logger?: Logger;
  metrics?: WorkerMetrics;
}

/**
 * The scoring worker: a BullMQ worker on the scoring queue, the model held for hot
 * reload, the online state and the tier-changed queue. `start()` loads the model and
 * begins taking jobs; `close()` finishes the jobs in flight and lets go of everything.
 */
export class ScoringWorker {
  readonly log: Logger;
  readonly metrics: WorkerMetrics;
  readonly queueName: string;
  readonly prefix: string;
  readonly state: OnlineState;
  readonly models: ModelHolder;
  private readonly workerConnection: RedisClient;
  private readonly stateConnection: RedisClient;
  /** Created once the model has loaded, so a worker that fails to start leaves no queue half-connected. */
  private tierChanged: Queue | undefined;
  private processor: JobProcessor | undefined;
  private scoreTable: ScoreTableFeed | undefined;
  private worker: Worker | undefined;
  private closing: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private fatalError: RedisAuthError | undefined;
  private onFatal: ((err: RedisAuthError) => void) | undefined;
  /**
   * Settles (never resolves) with the error that makes the worker unable to go on: Redis
   * refusing its credentials. Its connections stop reconnecting; the owner should close it.
   */
  readonly fatal: Promise<never>;

  constructor(private readonly options: ScoringWorkerOptions) {
    this.log = options.logger ?? createLogger();
    this.metrics = options.metrics ?? new WorkerMetrics();
    this.queueName = options.queue ?? DEFAULT_QUEUE;
    const { target, prefix } = queueLocation({ ...options, tls: options.redisTls });
    this.prefix = prefix;
    const url = target.url;
    this.workerConnection = connectRedis(target, 'worker');
    // Online-state commands of concurrent jobs go out in one round trip (per node on a Cluster).
    this.stateConnection = connectRedis(target, 'worker', { enableAutoPipelining: true });
    this.fatal = new Promise<never>((_, reject) => (this.onFatal = reject));
    // Unhandled until someone waits on it: start() does, and startWorker after it.
    this.fatal.catch(() => {});
    for (const c of [this.workerConnection, this.stateConnection]) {
      c.on('error', (err: Error) => {
        if (isAuthRefusal(err)) this.refused(err);
        else this.log.warn({ err: err.message, redis: redactRedisUrl(url) }, 'redis connection error');
      });
    }
    try {
      this.state = new OnlineState(this.stateConnection, options.state);
    } catch (err) {
      for (const c of [this.workerConnection, this.stateConnection]) c.disconnect();
      throw err;
    }
    this.models = new ModelHolder(options.loader, options, this.log, this.stateConnection, (outcome, model) => {
      this.metrics.reloads.inc({ outcome });
      if (outcome === 'loaded') this.metrics.setModelVersion(model.version);
    });
  }

  /**
   * Loads the model and starts taking jobs; resolves once the worker is connected, rejects
   * with a RedisAuthError at once when Redis refuses the credentials.
   */
  async start(): Promise<void> {
    this.starting ??= this.begin();
    await Promise.race([this.starting, this.fatal]);
  }

  private async begin(): Promise<void> {
    const model = await this.models.start();
    // Refused while the model loaded: make no queue or worker on connections already let go of.
    if (this.fatalError) throw this.fatalError;
    this.metrics.setModelVersion(model.version);
    if (this.options.scoreTable) this.scoreTable = await ScoreTableFeed.open(this.options.scoreTable, this.log);
    const feed = this.scoreTable;
    // On the worker's connection, which carries BullMQ's scripts anyway: the auto-pipelined
    // state connection then defines only the online-state scripts, and each of its
    // pipelines (one per tick with state commands) copies only those.
    const tierChanged = new Queue(this.options.tierChangedQueue ?? `${this.queueName}-tier-changed`, {
      connection: this.workerConnection,
      prefix: this.prefix,
      defaultJobOptions: { removeOnComplete: { age: 24 * 3600, count: 100_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
    });
    tierChanged.on('error', (err: Error) =>
      isAuthRefusal(err) ? this.refused(err) : this.log.warn({ err: err.message }, 'tier-changed queue error'),
    );
    this.tierChanged = tierChanged;
    const processor = new JobProcessor({
      state: this.state,
      scoreLeads: (inputs) => this.models.use((m) => m.scoreLeads(inputs)),
      batching: this.options.batching,
      tierChanged,
      metrics: this.metrics,
      log: this.log,
      maxBatchLeads: this.options.maxBatchLeads ?? DEFAULT_MAX_BATCH_LEADS,
      inputSchema: () => this.models.model.inputSchema,
      contracts: this.options.contracts,
      onResult: feed && ((out) => feed.take(out)),
    });
    this.processor = processor;
    const concurrency = this.options.concurrency ?? 64;
    const window = new FetchWindow(
      concurrency,
      this.options.maxLeadsInFlight ?? DEFAULT_MAX_LEADS_IN_FLIGHT,
      (jobs) => {
        if (this.worker) this.worker.concurrency = jobs;
        this.metrics.fetchWindow.set(jobs);
      },
    );
    this.metrics.fetchWindow.set(window.current);
    const processJob = (job: Job) => {
      window.observe(leadsOfJob(job.name, job.data));
      return processor.process(job);
    };
    this.worker = new Worker(this.queueName, processJob, {
      connection: this.workerConnection,
      prefix: this.prefix,
      concurrency: window.current,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      autorun: true,
      // Kept on each job it takes (`processedBy`), so a producer can tell how many workers served it.
      name: workerName(),
    });
    // Without a listener an 'error' event would throw and end the process.
    this.worker.on('error', (err: Error) =>
      isAuthRefusal(err) ? this.refused(err) : this.log.error({ err: err.message }, 'worker error'),
    );
    await Promise.race([Promise.all([this.worker.waitUntilReady(), tierChanged.waitUntilReady()]), this.fatal]);
    this.log.info(
      {
        queue: this.queueName,
        prefix: this.prefix,
        concurrency,
        maxLeadsInFlight: this.options.maxLeadsInFlight ?? DEFAULT_MAX_LEADS_IN_FLIGHT,
        modelVersion: model.version,
      },
      'scoring worker started',
    );
  }

  /** Redis refused the credentials: stop reconnecting and report it once (see `fatal`). */
  private refused(err: Error): void {
    if (this.fatalError) return;
    this.fatalError = new RedisAuthError(this.options.redisUrl ?? DEFAULT_REDIS_URL, err.message);
    this.log.fatal({ err: this.fatalError.message }, 'redis refused the credentials; stopping');
    for (const c of [this.workerConnection, this.stateConnection]) c.disconnect();
    this.onFatal?.(this.fatalError);
  }

  /** The model being served. */
  get model(): ServableModel {
    return this.models.model;
  }

  /** What `/health` reports: ok while the worker runs and Redis answers. */
  health(): { ok: boolean; worker: string; redis: string; modelVersion: string | null } {
    const running = this.worker?.isRunning() ?? false;
    const redis = this.stateConnection.status;
    let modelVersion: string | null = null;
    try {
      modelVersion = this.models.model.version;
    } catch {
      // not loaded yet
    }
    return {
      ok: running && redis === 'ready' && modelVersion !== null,
      worker: running ? 'running' : 'stopped',
      redis,
      modelVersion,
    };
  }

  /**
   * Finishes the jobs in flight, then closes the worker, queues, model and connections; each
   * step runs even when one before it failed, and the first failure is thrown after all ran.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.log.info({ queue: this.queueName }, 'scoring worker closing');
      await runEach([
        // A start still loading the model would make its queue and worker after this close.
        () => this.starting?.catch(() => {}),
        () => this.worker?.close(this.fatalError !== undefined),
        () => this.processor?.drain(),
        () => this.scoreTable?.close(),
        async () => {
          if (!this.tierChanged) return;
          // A queue still connecting when its shared connection quits reports an error after
          // close has removed its listeners; let it finish connecting first (bounded).
          await Promise.race([this.tierChanged.waitUntilReady().catch(() => {}), delay(2000)]);
          await this.tierChanged.close();
        },
        () => this.models.close(),
        () =>
          Promise.all([this.workerConnection, this.stateConnection].map((c) => c.quit().catch(() => c.disconnect()))),
      ]);
      this.log.info({ queue: this.queueName }, 'scoring worker closed');
    })();
    return this.closing;
  }
}

/** This worker's name: host, process id and, in a thread of `--threads`, the thread id. */
function workerName(): string {
  const host = os.hostname().replace(/[^\w.-]/g, '_');
  return threadId > 0 ? `${host}:${process.pid}:${threadId}` : `${host}:${process.pid}`;
}
