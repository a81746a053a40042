/**
 * The body of one worker thread of a WorkerPool: a ScoringWorker with the lead model's
 * loader, its own Redis connections and metrics, driven by messages from the pool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../features/errors.ts';
import { loadLeadModel } from './lead-model-loader.ts';
import { createLogger } from './logger.ts';
import { ScoringWorker } from './scoring-worker.ts';
import type { PoolRequest, PoolThreadData, ThreadMessage } from './worker-pool.ts';
import { WorkerMetrics } from './worker-metrics.ts';

const port = parentPort!;
const { options, logLevel, thread } = workerData as PoolThreadData;
const post = (m: ThreadMessage): void => port.postMessage(m);
const log = createLogger({ level: logLevel }).child({ thread });
const flushLog = () => new Promise<void>((resolve) => log.flush(() => resolve()));

let worker: ScoringWorker | undefined;
try {
  // Process-wide metrics (CPU, memory, event loop) are the pool's, once for all threads.
  worker = new ScoringWorker({
    ...options,
    loader: loadLeadModel,
    logger: log,
    metrics: new WorkerMetrics({ processMetrics: false }),
  });
  await worker.start();
  post({ type: 'started' });
  // Redis refusing the credentials later: the pool stops every thread and the process, as bad input.
  worker.fatal.catch((err: Error) => post({ type: 'failed', message: err.message, input: true }));
} catch (err) {
  await worker?.close().catch(() => {});
  worker = undefined;
  await flushLog();
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err), input: err instanceof InputError });
  port.close();
}

if (worker) {
  const w = worker;
  port.on('message', (m: PoolRequest) => {
    if (m.type === 'metrics') {
      // A collection that fails still answers, with no metrics: the pool's scrape waits for it.
      w.metrics.registry.getMetricsAsJSON().then(
        (metrics) => post({ type: 'metrics', id: m.id, metrics }),
        (err: unknown) => {
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'collecting metrics failed');
          post({ type: 'metrics', id: m.id, metrics: [] });
        },
      );
    } else if (m.type === 'health') {
      post({ type: 'health', id: m.id, report: w.health() });
    } else if (m.type === 'stop') {
      // A close that failed still ends the thread: the pool waits for it.
      void w
        .close()
        .catch((err: unknown) =>
          log.error({ err: err instanceof Error ? err.message : String(err) }, 'the worker did not close cleanly'),
        )
        .then(async () => {
          await flushLog();
          post({ type: 'closed' });
          port.close();
        });
    }
  });
}
