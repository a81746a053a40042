import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { InputError } from '../features/errors.ts';
import { createLogger } from './logger.ts';
import { startMetricsServer } from './metrics-server.ts';
import { checkStatePrefix } from './online-state.ts';
import { checkClusterPrefix, DEFAULT_REDIS_URL, parseClusterSeeds, redactRedisUrl } from './redis-connection.ts';
import { DEFAULT_MAX_LEADS_IN_FLIGHT, DEFAULT_QUEUE, ScoringWorker } from './scoring-worker.ts';
import type { ModelLoader } from './servable-model.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Options of `leadscore serve`, as parsed from the command line and environment. */
export const ServeOptions = z
  .object({
    /** Artifact directory, or a pointer file naming one. */
    model: z.string().min(1),
    /** Redis key holding an artifact path; wins over `model` when set. Default none. */
    modelKey: z.string().min(1).optional(),
    /** Default: $LEADSCORE_REDIS_URL, else $REDIS_URL, else redis://127.0.0.1:6379. */
    redis: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL').optional(),
    /** `redis` names seed nodes of a Redis Cluster (comma-separated URLs). Default false. */
    cluster: z.boolean().default(false),
    queue: z.string().min(1).default(DEFAULT_QUEUE),
    tierQueue: z.string().min(1).optional(),
    prefix: z.string().min(1).default('bull'),
    concurrency: int(1, 10_000).default(64),
    /** Port of /metrics and /health; 0 picks a free one. Default 9464. */
    metricsPort: int(0, 65_535).default(9464),
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
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();
export type ServeOptions = z.infer<typeof ServeOptions>;

/** A running worker started by `runWorker`. */
export interface RunningWorker {
  worker: ScoringWorker;
  metricsPort: number;
  /** Stops everything (as SIGINT/SIGTERM do); resolves with how (see Stopped). */
  stop(): Promise<Stopped>;
  /** Resolves once the worker has stopped. */
  stopped: Promise<Stopped>;
}

/**
 * How a worker stopped: `finished` after its jobs in flight; `timed-out` when they did not
 * finish within the shutdown timeout (Redis unreachable, say) and `forced` on a second
 * signal: then the process should exit without them.
 */
export type Stopped = 'finished' | 'timed-out' | 'forced';

/**
 * Starts the scoring worker and its metrics server from serve options, and stops both on
 * SIGINT or SIGTERM after the jobs in flight finish, or after the shutdown timeout, or at
 * once on a second signal.
 */
export async function runWorker(raw: Record<string, unknown>, loader: ModelLoader, env: NodeJS.ProcessEnv = process.env): Promise<RunningWorker> {
  const parsed = ServeOptions.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`serve: --${kebab(issue.path.map(String).join('.'))}: ${issue.message}`);
  }
  const o = parsed.data;
  const redisUrl = o.redis ?? env['LEADSCORE_REDIS_URL'] ?? env['REDIS_URL'] ?? DEFAULT_REDIS_URL;
  if (o.cluster) {
    // Refused here, before anything connects, with the flag at fault.
    parseClusterSeeds(redisUrl, 'serve: --redis');
    checkClusterPrefix(o.prefix, { url: redisUrl, cluster: true }, 'serve: --prefix');
    checkStatePrefix(o.statePrefix, true, 'serve: --state-prefix');
  }
  const log = createLogger({ level: o.logLevel });
  const worker = new ScoringWorker({
    loader,
    model: o.model,
    modelKey: o.modelKey,
    reloadIntervalMs: o.reloadInterval,
    redisUrl,
    cluster: o.cluster,
    queue: o.queue,
    tierChangedQueue: o.tierQueue,
    prefix: o.prefix,
    concurrency: o.concurrency,
    maxBatchLeads: o.maxBatchLeads,
    maxLeadsInFlight: o.maxLeadsInFlight,
    state: { keyPrefix: o.statePrefix, ttlSeconds: Math.round(o.stateTtlDays * 86_400), maxEvents: o.maxEvents },
    lockDurationMs: o.lockDuration,
    stalledIntervalMs: o.stalledInterval,
    logger: log,
  });
  log.info({ redis: redactRedisUrl(redisUrl), cluster: o.cluster, queue: o.queue }, 'starting scoring worker');
  try {
    await worker.start();
  } catch (err) {
    await worker.close();
    throw err;
  }
  const metrics = await startMetricsServer(worker.metrics.registry, () => worker.health(), o.metricsPort).catch(async (err: unknown) => {
    await worker.close();
    throw new InputError(`serve: --metrics-port ${o.metricsPort}: ${err instanceof Error ? err.message : String(err)}`);
  });
  log.info({ metricsPort: metrics.port() }, 'metrics and health on /metrics and /health');

  let resolveStopped!: (how: Stopped) => void;
  const stopped = new Promise<Stopped>((r) => (resolveStopped = r));
  let stopping: Promise<Stopped> | undefined;
  const stop = (): Promise<Stopped> => {
    stopping ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed-out'>((r) => (timer = setTimeout(() => r('timed-out'), o.shutdownTimeout * 1000)));
      const how = await Promise.race([worker.close().then(() => 'finished' as const), timedOut, forced]);
      clearTimeout(timer);
      if (how === 'timed-out') log.warn({ shutdownTimeout: o.shutdownTimeout }, 'jobs in flight did not finish in time; stopping without them (another worker takes them over)');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await Promise.race([metrics.close(), delay(1000)]);
      resolveStopped(how);
      return how;
    })();
    return stopping;
  };
  let force!: () => void;
  const forced = new Promise<'forced'>((r) => (force = () => r('forced')));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: stopping without the jobs in flight');
      force();
      return;
    }
    log.info({ signal, shutdownTimeout: o.shutdownTimeout }, 'finishing jobs in flight, then exiting');
    void stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { worker, metricsPort: metrics.port(), stop, stopped };
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
