import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { Queue, QueueEvents, type QueueBaseOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { LeadScoringClient, type LeadScoringClientOptions } from '../../serving/lead-scoring-client.ts';
import { createLogger } from '../../serving/logger.ts';
import { connectRedis, type RedisClient, type RedisTarget } from '../../serving/redis-connection.ts';
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

/**
 * A scoring worker on a stub artifact plus a client, on fresh queue names; `close` removes
 * everything. With `cluster`, `redisUrl` names the seed nodes of a Redis Cluster.
 */
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
  const target: RedisTarget = { url: redisUrl, cluster: over.cluster ?? false, tls: over.redisTls };
  const client = new LeadScoringClient({
    redisUrl,
    cluster: target.cluster,
    queue: queueName,
    timeoutMs: 15_000,
    ...over.client,
  });
  await client.ready();
  // BullMQ cannot open a Cluster (or take TLS files) from options: there, the raw handles
  // get connections of their own, and the worker's prefix (whose hash tag a Cluster needs).
  const own: RedisClient[] = [];
  const raw = (): QueueBaseOptions =>
    target.cluster || target.tls
      ? { connection: own[own.push(connectRedis(target, 'worker')) - 1]!, prefix: over.prefix }
      : { connection: { url: redisUrl } };
  const queue = new Queue(queueName, raw());
  const tierQueue = new Queue(`${queueName}-tier-changed`, raw());
  const queueEvents = new QueueEvents(queueName, raw());
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
      const redis = connectRedis(target);
      await redis.ping(); // a Cluster knows its nodes once connected
      // A Cluster's keys live on its masters, and one DEL may only name keys of one slot.
      for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
        const keys = await node.keys(`${queueName}:state:*`);
        await Promise.all(keys.map((k) => node.del(k)));
      }
      await Promise.all([redis, ...own].map((c) => c.quit()));
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
