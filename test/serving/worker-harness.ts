import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { LeadScoringClient, type LeadScoringClientOptions } from '../../serving/lead-scoring-client.ts';
import { createLogger } from '../../serving/logger.ts';
import { ScoringWorker, type ScoringWorkerOptions } from '../../serving/scoring-worker.ts';
import { WorkerMetrics } from '../../serving/worker-metrics.ts';
import { freshName } from './redis-server.ts';
import { loadStubModel, stubManifest, writeStubArtifact, type StubManifest } from './stub-model.ts';

export interface Harness {
  worker: ScoringWorker;
  client: LeadScoringClient;
  /** A plain queue handle on the scoring queue, for adding raw (malformed) jobs. */
  queue: Queue;
  tierQueue: Queue;
  /** Events of the scoring queue, for waiting on raw jobs. */
  queueEvents: QueueEvents;
  queueName: string;
  artifactDir: string;
  logs: string[];
  close(): Promise<void>;
}

/** A scoring worker on a stub artifact plus a client, on fresh queue names; `close` removes everything. */
export async function startHarness(
  redisUrl: string,
  over: Partial<ScoringWorkerOptions> & { manifest?: StubManifest; client?: LeadScoringClientOptions } = {},
): Promise<Harness> {
  const queueName = freshName();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'leadscore-serving-'));
  const artifactDir = writeStubArtifact(path.join(tmp, 'model'), over.manifest ?? stubManifest());
  const logs: string[] = [];
  const worker = new ScoringWorker({
    loader: loadStubModel,
    model: artifactDir,
    reloadIntervalMs: 0,
    redisUrl,
    queue: queueName,
    state: { keyPrefix: `${queueName}:state` },
    logger: createLogger({ destination: { write: (s: string) => void logs.push(s) } }),
    metrics: new WorkerMetrics({ processMetrics: false }),
    ...over,
  });
  await worker.start();
  const client = new LeadScoringClient({ redisUrl, queue: queueName, timeoutMs: 15_000, ...over.client });
  await client.ready();
  const queue = new Queue(queueName, { connection: { url: redisUrl } });
  const tierQueue = new Queue(`${queueName}-tier-changed`, { connection: { url: redisUrl } });
  const queueEvents = new QueueEvents(queueName, { connection: { url: redisUrl } });
  await queueEvents.waitUntilReady();
  return {
    worker,
    client,
    queue,
    tierQueue,
    queueEvents,
    queueName,
    artifactDir,
    logs,
    close: async () => {
      await Promise.all([client.close(), queueEvents.close()]);
      await worker.close();
      await queue.obliterate({ force: true });
      await tierQueue.obliterate({ force: true });
      await Promise.all([queue.close(), tierQueue.close()]);
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${queueName}:state:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
