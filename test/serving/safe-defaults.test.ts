import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freshName, privateRedis } from './redis-server.ts';
import { funnelLead, realArtifact } from './real-artifact.ts';
import { startWorkerProcess, waitFor } from './worker-process.ts';

/** The worker's output without its JSON log lines: what a person reads on stderr. */
const plainLines = (out: string) => out.split('\n').filter((l) => l !== '' && !l.startsWith('{'));

describe('serve: safe defaults', () => {
  it('a wrong or missing Redis password stops the worker at start with one line and exit code 2, in threads too', async () => {
    const redis = await privateRedis({ password: 'right-pass' });
    const model = await realArtifact();
    for (const [url, reply] of [
      [redis.url.replace('right-pass', 'wrong-pass'), 'WRONGPASS'],
      [redis.url.replace(':right-pass@', ''), 'NOAUTH'],
    ] as const) {
      for (const threads of reply === 'WRONGPASS' ? [1, 2] : [1]) {
        const started = startWorkerProcess({ model, redis: url, queue: freshName(), threads });
        const err = (await started.then(
          () => null,
          (e: Error) => e,
        ))!;
        expect(err.message).toMatch(/exited \(2\)/);
        const lines = plainLines(err.message.slice(err.message.indexOf('\n') + 1));
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          new RegExp(`^leadscore: redis redis://.*127\\.0\\.0\\.1:\\d+: authentication refused \\(${reply}`),
        );
        expect(err.message).not.toContain('wrong-pass');
      }
    }
  }, 240_000);

  it('Redis refusing the password later (rotated) stops a running worker with one line and exit code 2, in threads too', async () => {
    const model = await realArtifact();
    for (const threads of [1, 2]) {
      const redis = await privateRedis({ password: 'old-pass' });
      const queue = freshName('rotate');
      const w = await startWorkerProcess({ model, redis: redis.url, queue, statePrefix: `${queue}:state`, threads });
      const admin = new Redis(redis.url);
      try {
        await admin.config('SET', 'requirepass', 'new-pass');
        await admin.client('KILL', 'TYPE', 'normal');
        expect(await w.exited).toBe(2);
        const lines = plainLines(w.output());
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^leadscore: redis .*: authentication refused \(WRONGPASS/);
      } finally {
        w.child.kill('SIGKILL');
        admin.disconnect();
      }
    }
  }, 240_000);

  it('takes the Redis URL from $LEADSCORE_REDIS_URL, binds /metrics and /health to 127.0.0.1 unless --metrics-host says otherwise', async () => {
    const redis = await privateRedis({ password: 'env-pass' });
    const model = await realArtifact();
    const queue = freshName('env');
    const w = await startWorkerProcess(
      { model, queue, statePrefix: `${queue}:state` },
      { ...process.env, LEADSCORE_REDIS_URL: redis.url, REDIS_URL: 'redis://127.0.0.1:1' },
    );
    const q = new Queue(queue, { connection: { url: redis.url } });
    try {
      expect(w.output()).toContain('"metricsHost":"127.0.0.1"');
      expect((await fetch(`http://127.0.0.1:${w.metricsPort}/health`)).status).toBe(200);
      await q.add('score', { lead: { leadId: 'env-1', attributes: funnelLead(Date.now()) } });
      await waitFor(async () => (await q.getJobCounts('completed'))['completed'] === 1, 'the job');
    } finally {
      w.child.kill('SIGKILL');
      await q.obliterate({ force: true });
      await q.close();
    }
    const bad = startWorkerProcess({ model, redis: redis.url, queue: freshName(), metricsHost: '203.0.113.7' });
    await expect(bad).rejects.toThrow(
      /exited \(2\)[^]*leadscore: serve: --metrics-host 203\.0\.113\.7 --metrics-port 0: listen EADDRNOTAVAIL/,
    );
  });

  it('log lines at info carry neither attribute values nor lead ids; at debug, lead ids', async () => {
    const redis = await privateRedis();
    const model = await realArtifact();
    for (const logLevel of ['info', 'debug']) {
      const queue = freshName('logs');
      const w = await startWorkerProcess({ model, redis: redis.url, queue, statePrefix: `${queue}:state`, logLevel });
      const q = new Queue(queue, { connection: { url: redis.url } });
      try {
        const now = Date.now();
        await q.add('score', {
          lead: { leadId: 'lead-secret-id', attributes: { ...funnelLead(now), email: 'private.person@example.com' } },
        });
        // A tier change, and a job refused for a value of the wrong kind.
        await q.add('event', {
          event: { leadId: 'lead-secret-id', type: 'pricing_view', at: now - 1000, eventId: 'e1' },
        });
        await q.add('score', {
          lead: { leadId: 'lead-secret-id-2', attributes: { employees: 'a-very-private-value' } },
        });
        await waitFor(async () => {
          const c = await q.getJobCounts('completed', 'failed');
          return (c['completed'] ?? 0) + (c['failed'] ?? 0) === 3;
        }, 'the jobs');
        w.child.kill('SIGTERM');
        await w.exited;
        const out = w.output();
        expect(out).toContain('job rejected');
        expect(out).not.toContain('private.person');
        expect(out).not.toContain('a-very-private-value');
        if (logLevel === 'info') expect(out).not.toContain('lead-secret-id');
        else expect(out).toContain('lead-secret-id');
      } finally {
        w.child.kill('SIGKILL');
        await q.obliterate({ force: true });
        await q.close();
      }
    }
  });
});
