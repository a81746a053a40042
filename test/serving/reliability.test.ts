import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { OnlineState } from '../../serving/online-state.ts';
import { createRedisConnection } from '../../serving/redis-connection.ts';
import { freshName, privateRedis } from './redis-server.ts';
import { realArtifact } from './real-artifact.ts';
import { startHarness } from './worker-harness.ts';
import { startWorkerProcess, waitFor } from './worker-process.ts';

const counts = async (q: Queue) => {
  const c = await q.getJobCounts('completed', 'failed');
  return { completed: c['completed'] ?? 0, failed: c['failed'] ?? 0 };
};

/** Every kind of broken payload a careless producer sends, with the field the error must name. */
const malformed: [string, unknown, RegExp][] = [
  ['score', { lead: { attributes: {} } }, /lead\.leadId/],
  ['score', { lead: { leadId: 'm', attributes: { a: [1] } } }, /lead\.attributes\.a/],
  ['score', { lead: { leadId: 'm', attributes: {}, colour: 'red' } }, /lead: .*colour/i],
  ['score', 'not an object', /\(payload\)/],
  ['score-batch', { leads: [] }, /leads: /],
  [
    'score-batch',
    { leads: [{ leadId: 'm', attributes: {}, events: [{ type: 'visit', at: 'yesterday' }] }] },
    /leads\.0\.events\.0\.at/,
  ],
  ['event', { event: { leadId: 'm', type: 'visit' } }, /event\.at/],
  [
    'event',
    { event: { leadId: 'm', type: 'visit', at: 1, properties: { seconds: 'ten' } } },
    /event\.properties\.seconds/,
  ],
  ['rescore', { lead: { leadId: 'm', attributes: {} } }, /unknown kind/],
];

describe('reliability', () => {
  it('fails 1000 malformed payloads among 1000 valid ones, scores every valid one and keeps serving', async () => {
    const redis = await privateRedis();
    const h = await startHarness(redis.url);
    try {
      const jobs = [];
      for (let i = 0; i < 1000; i++) {
        const [name, data] = malformed[i % malformed.length]!;
        jobs.push({ name, data, opts: { jobId: `bad-${i}`, attempts: 3 } });
        jobs.push({
          name: 'score',
          data: { lead: { leadId: `ok-${i}`, attributes: { x: 0 } }, store: false },
          opts: { jobId: `ok-${i}` },
        });
      }
      await h.queue.addBulk(jobs);
      await waitFor(async () => {
        const c = await counts(h.queue);
        return c.completed + c.failed === 2000;
      }, '2000 jobs to finish');
      expect(await counts(h.queue)).toEqual({ completed: 1000, failed: 1000 });
      const failed = await h.queue.getFailed(0, -1);
      expect(failed.every((j) => j.id!.startsWith('bad-') && j.attemptsMade === 1)).toBe(true);
      for (const j of failed) {
        const [, , field] = malformed[Number(j.id!.slice(4)) % malformed.length]!;
        expect(j.failedReason).toMatch(/^invalid (payload|job): /);
        expect(j.failedReason).toMatch(field);
      }
      const done = await h.queue.getCompleted(0, -1);
      expect(done.every((j) => j.returnvalue.score === 50 && j.returnvalue.leadId === j.id)).toBe(true);
      expect(h.worker.health().ok).toBe(true);
      expect((await h.client.score({ leadId: 'after', attributes: {} })).score).toBe(50);
    } finally {
      await h.close();
    }
  });

  it('two worker processes, one killed midway: all 5000 jobs complete and no event is counted twice', async () => {
    const redis = await privateRedis();
    const model = await realArtifact();
    const queue = freshName('kill');
    const statePrefix = `${queue}:state`;
    const options = {
      model,
      redis: redis.url,
      queue,
      statePrefix,
      concurrency: 16,
      lockDuration: 2000,
      stalledInterval: 1000,
      reloadInterval: 0,
    };
    const [a, b] = await Promise.all([startWorkerProcess(options), startWorkerProcess(options)]);
    const q = new Queue(queue, { connection: { url: redis.url } });
    try {
      const leads = 100;
      const jobs = Array.from({ length: 5000 }, (_, i) => ({
        name: 'event',
        data: { event: { leadId: `lead-${i % leads}`, type: 'visit', at: 1_700_000_000_000 + i, eventId: `ev-${i}` } },
        opts: { jobId: `job-${i}`, attempts: 5, backoff: { type: 'fixed', delay: 50 } },
      }));
      for (let i = 0; i < jobs.length; i += 500) await q.addBulk(jobs.slice(i, i + 500));
      await waitFor(async () => (await counts(q)).completed >= 1000, 'a fifth of the jobs', 60_000, 10);
      a.child.kill('SIGKILL');
      expect(await a.exited).toBeNull();
      await waitFor(async () => (await counts(q)).completed === 5000, 'all 5000 jobs', 90_000);
      expect((await counts(q)).failed).toBe(0);
      const conn = createRedisConnection(redis.url);
      const state = new OnlineState(conn, { keyPrefix: statePrefix });
      for (let l = 0; l < leads; l++) {
        const s = await state.read(`lead-${l}`);
        const ids = s.events.map((e) => e.eventId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(50);
      }
      await conn.quit();
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGTERM');
      await b.exited;
      await q.obliterate({ force: true });
      await q.close();
    }
  });

  it('reconnects after a Redis restart and completes every queued job', async () => {
    const redis = await privateRedis({ appendOnly: true });
    const h = await startHarness(redis.url, { lockDurationMs: 3000, stalledIntervalMs: 1000, concurrency: 8 });
    try {
      const jobs = Array.from({ length: 3000 }, (_, i) => ({
        name: 'score',
        data: { lead: { leadId: `r${i}`, attributes: {} }, store: false },
      }));
      await h.queue.addBulk(jobs);
      await waitFor(async () => (await counts(h.queue)).completed >= 300, '300 jobs', 60_000, 5);
      await redis.stop();
      await new Promise((r) => setTimeout(r, 300));
      await redis.restart();
      await waitFor(
        async () => (await counts(h.queue)).completed === 3000,
        'every queued job after the restart',
        90_000,
        100,
      );
      expect((await counts(h.queue)).failed).toBe(0);
      expect(h.worker.health().ok).toBe(true);
    } finally {
      await h.close();
    }
  });
});
