import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { redactRedisUrl } from '../../serving/redis-connection.ts';
import { freshName, privateRedis } from './redis-server.ts';
import { startHarness } from './worker-harness.ts';

describe('connection options', () => {
  it('connects with a password in the URL and never logs it', async () => {
    const redis = await privateRedis({ password: 's3cret p@ss' });
    expect(redis.url).toContain(':s3cret%20p%40ss@');
    const h = await startHarness(redis.url);
    try {
      expect((await h.client.score({ leadId: 'pw', attributes: {} }, { store: false })).score).toBe(50);
      expect(h.logs.join('\n')).not.toContain('s3cret');
    } finally {
      await h.close();
    }
    expect(redactRedisUrl(redis.url)).toBe(`redis://:***@127.0.0.1:${redis.port}`);
  });

  it('keeps its queues under a configurable prefix (a hash tag for Redis Cluster)', async () => {
    const redis = await privateRedis();
    const prefix = `{${freshName('prefix')}}`;
    const h = await startHarness(redis.url, { prefix, client: { prefix } });
    try {
      const r = await h.client.score({ leadId: 'pf', attributes: {} }, { store: false });
      expect(r.score).toBe(50);
      const q = new Queue(h.queueName, { connection: { url: redis.url }, prefix });
      expect((await q.getJobCounts('completed'))['completed']).toBe(1);
      // nothing under the default prefix
      expect((await h.queue.getJobCounts('completed'))['completed']).toBe(0);
      await q.obliterate({ force: true });
      await q.close();
    } finally {
      await h.close();
    }
  });
});
