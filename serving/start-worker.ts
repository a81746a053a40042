import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { InputError } from '../features/errors.ts';
import { formatZodError } from '../features/zod-error.ts';
import { createLogger, type Logger } from './logger.ts';
import { startMetricsServer, type MetricsSource } from './metrics-server.ts';
import { checkStatePrefix } from './online-state.ts';
import { checkClusterPrefix, parseClusterSeeds } from './redis-connection.ts';
import { DEFAULT_REDIS_URL, readRedisTlsFiles, redactRedisUrl } from './redis-target.ts';
import { DEFAULT_MAX_LEADS_IN_FLIGHT } from './fetch-window.ts';
import { DEFAULT_MAX_CLOCK_SKEW_MS } from './event-time-check.ts';
import { DEFAULT_QUEUE } from './job-schemas.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_STATE_BYTES } from './payload-size.ts';
import type { ScoringWorker } from './scoring-worker.ts';
import type { ModelLoader } from './servable-model.ts';
import { runEach } from './run-each.ts';
import { WorkerPool, type PoolWorkerOptions } from './worker-pool.ts';

/** Where /metrics and /health listen unless told otherwise: this machine only. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Options of `leadscore serve`, as parsed from the command line and environment. */
export const ServeOptions = z
  .object({
    /** Artifact directory, or a pointer file naming one. */
    model: z.string().min(1),
    /** Redis key holding an artifact path; wins over `model` when set. Default none. */
    modelKey: z.string().min(1).optional(),
    /** Default: $LEADSCORE_REDIS_URL, else $REDIS_URL, else redis://127.0.0.1:6379. */
    redis: z
      .string()
      .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
      .optional(),
    /** `redis` names seed nodes of a Redis Cluster (comma-separated URLs). Default false. */
    cluster: z.boolean().default(false),
    /** PEM file of the CA that signed the server's certificate (a private CA); needs a rediss:// URL. */
    redisCa: z.string().min(1).optional(),
    /** PEM files of the client's certificate and key, for a server that asks for one. */
    redisCert: z.string().min(1).optional(),
    redisKey: z.string().min(1).optional(),
    queue: z.string().min(1).default(DEFAULT_QUEUE),
    tierQueue: z.string().min(1).optional(),
    prefix: z.string().min(1).default('bull'),
    concurrency: int(1, 10_000).default(64),
    /**
     * Scoring workers in worker threads of this process, each with its own BullMQ worker,
     * connections and model copy. Default 1: one worker, in the main thread.
     */
    threads: int(1, 256).default(1),
    /** Port of /metrics and /health; 0 picks a free one. Default 9464. */
    metricsPort: int(0, 65_535).default(9464),
    /**
     * Address /metrics and /health bind to. Default 127.0.0.1: only this machine; give
     * 0.0.0.0 (or the pod's address) for a scraper or health check from elsewhere.
     */
    metricsHost: z.string().min(1).default(DEFAULT_METRICS_HOST),
    maxBatchLeads: int(1, 1_000_000).default(5000),
    /** Leads of the jobs taken at once, roughly (fewer batch jobs at once than `concurrency`). */
    maxLeadsInFlight: int(1, 10_000_000).default(DEFAULT_MAX_LEADS_IN_FLIGHT),
    stateTtlDays: z.coerce.number().positive().default(30),
    maxEvents: int(1, 100_000).default(500),
    /** Key prefix of the online state. */
    statePrefix: z.string().min(1).default('leadscore:state'),
    /** Milliseconds a job stays locked to a worker that stopped renewing it (a dead one). */
    lockDuration: int(1000, 3_600_000).default(30_000),
    /** Milliseconds between looks for jobs whose worker died. */
    stalledInterval: int(500, 3_600_000).default(30_000),
    /** Milliseconds between looks for a new artifact; 0 turns hot reload off. */
    reloadInterval: int(0, 86_400_000).default(2000),
    /**
     * Seconds SIGINT/SIGTERM wait for the jobs in flight; then the worker stops without them
     * (their locks expire and another worker takes them over). Default 30.
     */
    shutdownTimeout: z.coerce.number().positive().default(30),
    /** Refuse a lead with an attribute name the model does not read. Default false: a warning in the result. */
    strictAttributes: z.boolean().default(false),
    /** Take a new artifact that reads other inputs than the first one served. Default false. */
    allowSchemaChange: z.boolean().default(false),
    /** Serve a model whose rules name columns or event types its training data lacked. Default false. */
    allowUnknownRuleColumns: z.boolean().default(false),
    /** Seconds an event time may run ahead of the worker's clock. Default 86400 (1 day). */
    maxClockSkew: z.coerce
      .number()
      .nonnegative()
      .max(365 * 86_400)
      .default(DEFAULT_MAX_CLOCK_SKEW_MS / 1000),
    /** Largest job payload in bytes of JSON. Default 16 MiB. */
    maxPayloadBytes: int(1024, 1024 ** 3).default(DEFAULT_MAX_PAYLOAD_BYTES),
    /** Largest attributes of one lead kept in the online state, in bytes of JSON. Default 64 KiB. */
    maxStateBytes: int(64, 64 * 1024 ** 2).default(DEFAULT_MAX_STATE_BYTES),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Also write each scored lead to the PostgreSQL table `table` (postgres:// URL). Default none. */
    toPostgres: z.string().min(1).optional(),
    /** With `toPostgres`: the table, `name` or `schema.name`, created when absent. */
    table: z.string().min(1).optional(),
  })
  .strict()
  .refine((o) => (o.toPostgres === undefined) === (o.table === undefined), {
    message: '--to-postgres and --table go together',
    path: ['toPostgres'],
  });
export type ServeOptions = z.infer<typeof ServeOptions>;

/** The options of `startWorker`: those of `leadscore serve`, camel-cased (see ServeOptions). */
export type StartWorkerOptions = z.input<typeof ServeOptions>;

/** A worker started by `startWorker`. */
export interface WorkerHandle {
  /** The worker, or with `threads` above 1 the pool of them. */
  worker: ScoringWorker | WorkerPool;
  /** The port /metrics and /health are served on. */
  metricsPort: number;
  /** The worker's logger (pino, to stdout). */
  logger: Logger;
  /**
   * Resolves with an error when the worker can no longer serve: a worker thread died
   * (`threads` above 1; the jobs it held are taken over by another worker once their locks
   * expire), or Redis refused the credentials (a RedisAuthError, an InputError). Close the
   * handle then, as `serve` does before exiting 1 or 2. Never resolves otherwise.
   */
  failed: Promise<Error>;
  /**
   * Finishes the jobs in flight, then closes the worker, its connections and the metrics
   * server; each step runs even when one before it failed (the first failure is thrown
   * after all ran). Resolves `finished`, or `timed-out` when the jobs did not finish within
   * `shutdownTimeout` (Redis unreachable, say): the worker has then let go of them, and
   * their locks expire for another worker to take them. Calling it again returns the same
   * promise. Touches nothing of the process (no signal handler, no exit).
   */
  close(): Promise<Stopped>;
}

/** How a worker's close ended (see WorkerHandle.close). */
export type Stopped = 'finished' | 'timed-out';

/**
 * Starts the scoring worker and its metrics server; for services that embed the worker and
 * for `leadscore serve`, which adds the signal handling and exit codes. `loader` defaults to
 * the lead model's (models/lead-model.ts). With `threads` above 1, a WorkerPool runs that
 * many workers in threads, which load artifacts with the lead model's loader, the only one
 * they can have (a function does not cross into a thread); this thread then loads neither
 * the model code nor BullMQ. Bad options throw an InputError naming the option.
 */
export async function startWorker(
  options: StartWorkerOptions,
  loader?: ModelLoader,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WorkerHandle> {
  const parsed = ServeOptions.safeParse(options);
  if (!parsed.success) {
    throw new InputError(
      `serve: ${formatZodError(parsed.error, { value: options, where: (path) => `--${kebab(path.map(String).join('.'))}: ` })}`,
    );
  }
  const o = parsed.data;
  const redisUrl = o.redis ?? env['LEADSCORE_REDIS_URL'] ?? env['REDIS_URL'] ?? DEFAULT_REDIS_URL;
  if (o.cluster) {
    // Refused here, before anything connects, with the flag at fault.
    parseClusterSeeds(redisUrl, 'serve: --redis');
    checkClusterPrefix(o.prefix, { url: redisUrl, cluster: true }, 'serve: --prefix');
    checkStatePrefix(o.statePrefix, true, 'serve: --state-prefix');
  }
  const redisTls = readRedisTlsFiles(
    { ca: o.redisCa, cert: o.redisCert, key: o.redisKey },
    { url: redisUrl, cluster: o.cluster },
    'serve: ',
  );
  if (o.threads > 1 && loader)
    throw new InputError('serve: --threads: worker threads load artifacts with the lead model loader only');
  const log = createLogger({ level: o.logLevel });
  const workerOptions: PoolWorkerOptions = {
    model: o.model,
    modelKey: o.modelKey,
    reloadIntervalMs: o.reloadInterval,
    redisUrl,
    cluster: o.cluster,
    redisTls,
    queue: o.queue,
    tierChangedQueue: o.tierQueue,
    prefix: o.prefix,
    concurrency: o.concurrency,
    maxBatchLeads: o.maxBatchLeads,
    // The process's bound, shared by its threads.
    maxLeadsInFlight: Math.ceil(o.maxLeadsInFlight / o.threads),
    state: { keyPrefix: o.statePrefix, ttlSeconds: Math.round(o.stateTtlDays * 86_400), maxEvents: o.maxEvents },
    contracts: {
      strictAttributes: o.strictAttributes,
      maxClockSkewMs: o.maxClockSkew * 1000,
      maxPayloadBytes: o.maxPayloadBytes,
      maxStateBytes: o.maxStateBytes,
    },
    allowSchemaChange: o.allowSchemaChange,
    allowUnknownRuleColumns: o.allowUnknownRuleColumns,
    lockDurationMs: o.lockDuration,
    stalledIntervalMs: o.stalledInterval,
    scoreTable: o.toPostgres !== undefined ? { url: o.toPostgres, table: o.table! } : undefined,
  };
  const worker =
    o.threads > 1
      ? new WorkerPool(workerOptions, o.threads, log, o.logLevel)
      : await inThisThread(workerOptions, loader, log);
  const source: MetricsSource =
    worker instanceof WorkerPool
      ? worker
      : {
          contentType: worker.metrics.registry.contentType,
          metrics: () => worker.metrics.registry.metrics(),
          health: () => worker.health(),
        };
  log.info(
    { redis: redactRedisUrl(redisUrl), cluster: o.cluster, queue: o.queue, threads: o.threads },
    'starting scoring worker',
  );
  try {
    await worker.start();
  } catch (err) {
    await worker.close();
    throw err;
  }
  const metrics = await startMetricsServer(source, o.metricsPort, o.metricsHost).catch(async (err: unknown) => {
    await worker.close();
    throw new InputError(
      `serve: --metrics-host ${o.metricsHost} --metrics-port ${o.metricsPort}: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  log.info({ metricsPort: metrics.port(), metricsHost: o.metricsHost }, 'metrics and health on /metrics and /health');

  const failed = new Promise<Error>((resolve) => {
    // A thread that cannot go on for bad input (Redis refused the credentials) says so.
    if (worker instanceof WorkerPool)
      worker.whenFailed((message, input) => resolve(input ? new InputError(message) : new Error(message)));
    // Redis refusing the credentials later (a rotated password): no job can run any more.
    else worker.fatal.catch(resolve);
  });
  let closing: Promise<Stopped> | undefined;
  const close = (): Promise<Stopped> => {
    closing ??= (async () => {
      let how: Stopped = 'finished';
      await runEach([
        async () => {
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<'timed-out'>(
            (r) => (timer = setTimeout(() => r('timed-out'), o.shutdownTimeout * 1000)),
          );
          try {
            how = await Promise.race([worker.close().then(() => 'finished' as const), timedOut]);
          } finally {
            clearTimeout(timer);
          }
          if (how === 'timed-out')
            log.warn(
              { shutdownTimeout: o.shutdownTimeout },
              'jobs in flight did not finish in time; stopping without them (another worker takes them over)',
            );
        },
        // A scrape in progress does not hold the close up for long.
        () => Promise.race([metrics.close(), delay(1000)]),
      ]);
      return how;
    })();
    return closing;
  };
  return { worker, metricsPort: metrics.port(), logger: log, failed, close };
}

/** One scoring worker in this thread, its code loaded only now. */
async function inThisThread(
  options: PoolWorkerOptions,
  loader: ModelLoader | undefined,
  logger: Logger,
): Promise<ScoringWorker> {
  const [{ ScoringWorker }, { loadLeadModel }] = await Promise.all([
    import('./scoring-worker.ts'),
    import('./lead-model-loader.ts'),
  ]);
  return new ScoringWorker({ ...options, loader: loader ?? loadLeadModel, logger });
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
