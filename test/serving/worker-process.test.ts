import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { freshName, privateRedis } from './redis-server.ts';
import { artifactVersion, realArtifact } from './real-artifact.ts';
import { startWorkerProcess, waitFor, type WorkerProcess } from './worker-process.ts';
import { LeadScoringClient } from '../../serving/lead-scoring-client.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** A serving process on a private Redis with a client and a queue handle, all let go of after `body`. */
async function withServing(
  name: string,
  options: Record<string, unknown>,
  body: (ctx: { w: WorkerProcess; model: string; client: LeadScoringClient; q: Queue }) => Promise<void>,
): Promise<void> {
  const redis = await privateRedis();
  const model = await realArtifact();
  const queue = freshName(name);
  const w = await startWorkerProcess({
    model,
    redis: redis.url,
    queue,
    statePrefix: `${queue}:state`,
    logLevel: 'info',
    ...options,
  });
  const client = new LeadScoringClient({ redisUrl: redis.url, queue });
  const q = new Queue(queue, { connection: { url: redis.url } });
  try {
    await body({ w, model, client, q });
  } finally {
    w.child.kill('SIGKILL');
    await client.close();
    await q.obliterate({ force: true });
    await q.close();
  }
}

describe('worker process', () => {
  it('serves /metrics and /health, and on SIGTERM finishes jobs in flight and exits 0', async () => {
    await withServing('proc', { concurrency: 4 }, async ({ w, model, client, q }) => {
      await client.score({ leadId: 'p1', attributes: { email: 'secret@example.com' } });
      const health = await fetch(`http://127.0.0.1:${w.metricsPort}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        ok: true,
        worker: 'running',
        redis: 'ready',
        modelVersion: artifactVersion(model),
      });
      const metrics = await (await fetch(`http://127.0.0.1:${w.metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/leadscore_jobs_total\{kind="score",outcome="completed"\} 1/);
      expect(metrics).toMatch(/leadscore_leads_scored_total\{tier="[^"]+"\} 1/);
      expect(metrics).toContain(`leadscore_model_info{version="${artifactVersion(model)}"} 1`);
      expect(metrics).toContain('leadscore_job_duration_seconds_bucket');

      await q.addBulk(
        Array.from({ length: 200 }, (_, i) => ({
          name: 'score',
          data: { lead: { leadId: `s${i}`, attributes: { industry: 'software' } } },
        })),
      );
      await waitFor(async () => ((await q.getJobCounts('completed'))['completed'] ?? 0) > 20, 'some jobs', 30_000, 5);
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      expect(w.output()).toContain('scoring worker closed');
      expect(w.output()).not.toContain('secret@example.com');
      const c = await q.getJobCounts('active', 'failed');
      expect(c['active']).toBe(0);
      expect(c['failed']).toBe(0);
    });
  });

  it('stops without its jobs when they cannot finish: after --shutdown-timeout, or at once on a second signal', async () => {
    const model = await realArtifact();
    for (const second of [false, true]) {
      const redis = await privateRedis();
      const queue = freshName('stuck');
      const w = await startWorkerProcess({
        model,
        redis: redis.url,
        queue,
        statePrefix: `${queue}:state`,
        shutdownTimeout: second ? 600 : 1,
      });
      const client = new LeadScoringClient({ redisUrl: redis.url, queue });
      try {
        await client.score({ leadId: 'p1', attributes: { industry: 'software' } });
        await client.close();
        // With Redis gone, closing the worker's connections cannot finish.
        await redis.stop();
        const started = Date.now();
        w.child.kill('SIGTERM');
        if (second) {
          await waitFor(
            async () => w.output().includes('finishing jobs in flight'),
            'the first signal to be taken',
            10_000,
          );
          w.child.kill('SIGTERM');
        }
        expect(await w.exited).toBe(1);
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(w.output()).toContain(
          second ? 'second signal: stopping without the jobs in flight' : 'jobs in flight did not finish in time',
        );
      } finally {
        w.child.kill('SIGKILL');
        await client.close().catch(() => {});
      }
    }
  });

  it('with --threads, runs a worker per thread: jobs and metrics of all, one health, SIGTERM stops them all', async () => {
    await withServing('threads', { concurrency: 8, threads: 2 }, async ({ w, model, client, q }) => {
      const batch = await client.scoreBatch(
        Array.from({ length: 50 }, (_, i) => ({ leadId: `b${i}`, attributes: { email: 'secret@example.com' } })),
      );
      expect(batch).toHaveLength(50);
      await q.addBulk(
        Array.from({ length: 300 }, (_, i) => ({
          name: 'score',
          data: { lead: { leadId: `s${i}`, attributes: { industry: 'software' } } },
        })),
      );
      await waitFor(async () => ((await q.getJobCounts('completed'))['completed'] ?? 0) === 301, 'all jobs', 30_000, 5);
      const health = await fetch(`http://127.0.0.1:${w.metricsPort}/health`);
      expect(health.status).toBe(200);
      const report = (await health.json()) as { threads: unknown[] };
      expect(report).toMatchObject({
        ok: true,
        worker: 'running',
        redis: 'ready',
        modelVersion: artifactVersion(model),
      });
      expect(report.threads).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
      const metrics = await (await fetch(`http://127.0.0.1:${w.metricsPort}/metrics`)).text();
      // Counters summed over the threads; the model version once; both workers' fetch windows.
      expect(metrics).toMatch(/leadscore_jobs_total\{kind="score",outcome="completed"\} 300\n/);
      expect(metrics).toMatch(/leadscore_jobs_total\{kind="score-batch",outcome="completed"\} 1\n/);
      expect(metrics).toContain(`leadscore_model_info{version="${artifactVersion(model)}"} 1\n`);
      expect(metrics).toContain('leadscore_fetch_window_jobs 16\n');
      expect(metrics).toMatch(/leadscore_process_cpu_user_seconds_total \d/);

      await q.addBulk(
        Array.from({ length: 200 }, (_, i) => ({
          name: 'score',
          data: { lead: { leadId: `t${i}`, attributes: { industry: 'software' } } },
        })),
      );
      await waitFor(async () => ((await q.getJobCounts('completed'))['completed'] ?? 0) > 320, 'some jobs', 30_000, 5);
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      expect(w.output().match(/"thread":\d,"queue":"[^"]+","msg":"scoring worker closed"/g)).toHaveLength(2);
      expect(w.output()).not.toContain('secret@example.com');
      const c = await q.getJobCounts('active', 'failed', 'completed');
      expect(c).toMatchObject({ active: 0, failed: 0 });
    });
  });

  it('refuses to start on a broken artifact with a message naming it, in threads too', async () => {
    const redis = await privateRedis();
    const tmp = tempDir();
    const model = tmp.write('manifest.json', '{"format": "leadscore-model/1"}').replace(/manifest\.json$/, '');
    for (const threads of [1, 2]) {
      const started = startWorkerProcess({ model, redis: redis.url, queue: freshName(), threads });
      await expect(started).rejects.toThrow(
        /exited \(2\)[^]*leadscore: model: cannot load .*manifest\.json: version: /,
      );
    }
  });
});
