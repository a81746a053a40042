import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeadScoringClient } from '../../serving/lead-scoring-client.ts';
import { startWorker } from '../../serving/start-worker.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { freshName, privateRedis } from './redis-server.ts';
import { loadStubModel, stubManifest, writeStubArtifact } from './stub-model.ts';

describe('startWorker', () => {
  it('refuses --threads with a loader of its own: threads load artifacts with the lead model loader', async () => {
    await expect(
      startWorker({ model: '/nonexistent', redis: 'redis://127.0.0.1:1', threads: 2 }, loadStubModel),
    ).rejects.toThrow(/^serve: --threads: worker threads load artifacts with the lead model loader only$/);
    await expect(startWorker({ model: '/nonexistent', threads: 0 }, loadStubModel)).rejects.toThrow(
      /^serve: --threads: /,
    );
  });

  it('serves until close(), which finishes and stops everything, and leaves the process alone', async () => {
    const redis = await privateRedis();
    const model = writeStubArtifact(path.join(tempDir().dir, 'model'), stubManifest());
    const queue = freshName();
    const listeners = () =>
      ['SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));
    const before = listeners();
    const handle = await startWorker(
      { model, redis: redis.url, queue, metricsPort: 0, logLevel: 'silent', reloadInterval: 0 },
      loadStubModel,
    );
    expect(listeners()).toEqual(before);
    const client = new LeadScoringClient({ redisUrl: redis.url, queue, timeoutMs: 10_000 });
    try {
      const scored = await client.score({ leadId: 'lead-1', attributes: { age: 40 } });
      expect(scored.leadId).toBe('lead-1');
      const health = await fetch(`http://127.0.0.1:${handle.metricsPort}/health`);
      expect(health.status).toBe(200);
    } finally {
      await client.close();
    }
    const closing = handle.close();
    expect(handle.close()).toBe(closing);
    expect(await closing).toBe('finished');
    expect(listeners()).toEqual(before);
    expect(process.exitCode).toBeUndefined();
    await expect(fetch(`http://127.0.0.1:${handle.metricsPort}/health`)).rejects.toThrow();
  });
});
