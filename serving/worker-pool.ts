import { Worker } from 'node:worker_threads';
import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Registry,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';
import { InputError } from '../features/errors.ts';
import type { Logger } from './logger.ts';
import type { HealthReport, MetricsSource } from './metrics-server.ts';
import type { ScoringWorkerOptions } from './scoring-worker.ts';

/** A scoring worker's options that can cross into a thread: all but the loader, logger and metrics. */
export type PoolWorkerOptions = Omit<ScoringWorkerOptions, 'loader' | 'logger' | 'metrics'>;

/** What a pool thread starts with (its `workerData`). */
export interface PoolThreadData {
  options: PoolWorkerOptions;
  logLevel: string;
  /** 0-based; every log line of the thread carries it as `thread`. */
  thread: number;
}

/** Messages from the pool to a thread. */
export type PoolRequest = { type: 'metrics'; id: number } | { type: 'health'; id: number } | { type: 'stop' };

type Metrics = MetricObjectWithValues<MetricValue<string>>[];

/** Messages from a thread to the pool. */
export type ThreadMessage =
  | { type: 'started' }
  | { type: 'failed'; message: string; input: boolean }
  | { type: 'metrics'; id: number; metrics: Metrics }
  | { type: 'health'; id: number; report: HealthReport }
  | { type: 'closed' };

/** One thread of the pool and its pending requests. */
interface PoolThread {
  worker: Worker;
  pending: Map<number, (m: ThreadMessage) => void>;
  /** Resolves once the thread has exited. */
  exited: Promise<void>;
  /** It took jobs: a failure after that stops the pool (see whenFailed). */
  started?: boolean;
}

/** How long a metrics or health request waits for a thread's answer. */
const REQUEST_TIMEOUT_MS = 5000;

/**
 * Several scoring workers in one process, one per worker thread, each with its own BullMQ
 * worker, Redis connections, model copy and event loop. One Node.js thread scores, parses
 * and serialises jobs one at a time; on a machine with spare cores, threads take more of
 * them. They share the queue as separate worker processes would (hot reload included: each
 * watches the artifact), but live and die with one process: a SIGKILL stops them all.
 *
 * The pool answers for all threads: `/metrics` sums their counters and histograms (beside
 * the process's own CPU and memory figures), `/health` is ok when every thread is.
 */
export class WorkerPool implements MetricsSource {
  readonly contentType: string;
  private readonly threads: PoolThread[] = [];
  private readonly processMetrics = new Registry();
  private nextId = 0;
  private closing: Promise<void> | undefined;
  private onFailure: ((message: string, input: boolean) => void) | undefined;
  private failureIsInput = false;
  /** The first thread death's message, once one died. */
  private failure: string | undefined;

  constructor(
    private readonly options: PoolWorkerOptions,
    private readonly threadCount: number,
    private readonly log: Logger,
    private readonly logLevel: string,
    /** The script each thread runs (worker-thread.ts); tests give their own. */
    private readonly entry: URL = threadEntry(),
  ) {
    this.contentType = this.processMetrics.contentType;
    collectDefaultMetrics({ register: this.processMetrics, prefix: 'leadscore_' });
  }

  /**
   * Starts every thread; resolves once all take jobs. When one fails to start, the others
   * are stopped and the error is the failing thread's (an InputError for bad input).
   */
  async start(): Promise<void> {
    const started: Promise<void>[] = [];
    for (let thread = 0; thread < this.threadCount; thread++) {
      const data: PoolThreadData = { options: this.options, logLevel: this.logLevel, thread };
      const worker = new Worker(this.entry, { workerData: data });
      const t: PoolThread = {
        worker,
        pending: new Map(),
        exited: new Promise((resolve) => worker.once('exit', () => resolve())),
      };
      this.threads.push(t);
      started.push(
        new Promise<void>((resolve, reject) => {
          worker.on('message', (m: ThreadMessage) => {
            if (m.type === 'started') {
              resolve();
              t.started = true;
            } else if (m.type === 'failed') {
              reject(m.input ? new InputError(m.message) : new Error(m.message));
              if (t.started) this.failed(thread, m.message, m.input);
            } else if (m.type === 'metrics' || m.type === 'health') t.pending.get(m.id)?.(m);
          });
          worker.on('error', (err: Error) => {
            reject(err);
            this.failed(thread, err.message);
          });
          void t.exited.then(() => {
            reject(new Error(`worker thread ${thread} exited before it started`));
            if (!this.closing) this.failed(thread, 'exited');
          });
        }),
      );
    }
    try {
      await Promise.all(started);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /**
   * Called once when a thread dies while the pool is not closing (an uncaught error in it),
   * or cannot go on (`input`: Redis refused its credentials), at once if one already has.
   */
  whenFailed(callback: (message: string, input: boolean) => void): void {
    if (this.failure !== undefined) callback(this.failure, this.failureIsInput);
    else this.onFailure = callback;
  }

  /** Finishes every thread's jobs in flight and lets go of their connections. */
  close(): Promise<void> {
    this.closing ??= Promise.all(
      this.threads.map(async (t) => {
        t.worker.postMessage({ type: 'stop' } satisfies PoolRequest);
        await t.exited;
      }),
    ).then(() => {});
    return this.closing;
  }

  /** Every thread's metrics, counters and histograms summed, and the process's own. */
  async metrics(): Promise<string> {
    const perThread = await Promise.all(
      this.threads.map((t) => this.request<Extract<ThreadMessage, { type: 'metrics' }>>(t, 'metrics')),
    );
    const all = [await this.processMetrics.getMetricsAsJSON(), ...perThread.map((m) => m.metrics)];
    return AggregatorRegistry.aggregate(all).metrics();
  }

  /** Ok when every thread is; each thread's report under `threads`. */
  async health(): Promise<HealthReport> {
    const reports = await Promise.all(
      this.threads.map((t) =>
        this.request<Extract<ThreadMessage, { type: 'health' }>>(t, 'health').then((m) => m.report),
      ),
    );
    const versions = [...new Set(reports.map((r) => r['modelVersion']).filter((v) => v !== null))];
    return {
      ok: reports.every((r) => r.ok),
      worker: reports.every((r) => r['worker'] === 'running') ? 'running' : 'stopped',
      redis: reports.find((r) => r['redis'] !== 'ready')?.['redis'] ?? 'ready',
      modelVersion: versions.length === 0 ? null : versions.join(','),
      threads: reports,
    };
  }

  private request<M extends ThreadMessage>(t: PoolThread, type: 'metrics' | 'health'): Promise<M> {
    const id = this.nextId++;
    return new Promise<M>((resolve, reject) => {
      const timer = setTimeout(() => {
        t.pending.delete(id);
        reject(new Error(`worker thread did not answer a ${type} request within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      t.pending.set(id, (m) => {
        clearTimeout(timer);
        t.pending.delete(id);
        resolve(m as M);
      });
      t.worker.postMessage({ type, id } satisfies PoolRequest);
    });
  }

  private failed(thread: number, message: string, input = false): void {
    if (this.closing || this.failure !== undefined) return;
    this.failure = message;
    this.failureIsInput = input;
    this.log.fatal({ thread, err: message }, input ? 'worker thread cannot go on' : 'worker thread died');
    this.onFailure?.(message, input);
  }
}

/**
 * worker-thread.ts as a thread can start it: compiled, the module itself; run from the
 * TypeScript sources (a checkout, tests), through an entry that registers tsx first, as a
 * thread starts without the parent's loader.
 */
function threadEntry(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./worker-thread-entry.js', import.meta.url)
    : new URL('./worker-thread.js', import.meta.url);
}
