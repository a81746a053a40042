import { describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { createLogger } from '../../serving/logger.ts';
import { WorkerPool, type PoolWorkerOptions } from '../../serving/worker-pool.ts';

const entry = new URL('./fixtures/stub-pool-thread.js', import.meta.url);
const pool = (mode: string) =>
  new WorkerPool({ model: 'unused', mode } as PoolWorkerOptions, 2, createLogger({ level: 'silent' }), 'silent', entry);

describe('WorkerPool', () => {
  it('answers /metrics for all its threads (counters summed, the model version once) and /health when every thread is ok', async () => {
    const p = pool('ok');
    await p.start();
    try {
      const text = await p.metrics();
      expect(text).toContain('stub_jobs_total{kind="score"} 3\n');
      expect(text).toContain('stub_model_info{version="v1"} 1\n');
      // The process's own figures, once.
      expect(text.match(/^leadscore_process_cpu_user_seconds_total /gm)).toHaveLength(1);
      const health = await p.health();
      expect(health).toMatchObject({ ok: true, worker: 'running', redis: 'ready', modelVersion: 'v1' });
      expect((health['threads'] as { thread: number }[]).map((t) => t.thread)).toEqual([0, 1]);
    } finally {
      await p.close();
    }
  });

  it('fails to start with the error of a thread that cannot start, and stops the others', async () => {
    const p = pool('fail-start');
    const started = p.start();
    await expect(started).rejects.toThrow(InputError);
    await expect(started).rejects.toThrow('model: cannot load broken/manifest.json');
    // close() resolves only once every thread has exited.
    await expect(p.close()).resolves.toBeUndefined();
  });

  it('reports a thread that dies after starting, once', async () => {
    const p = pool('crash');
    await p.start();
    const failures: string[] = [];
    const failed = new Promise<void>((resolve) =>
      p.whenFailed((message) => {
        failures.push(message);
        resolve();
      }),
    );
    await failed;
    await p.close();
    expect(failures).toEqual(['stub thread crashed']);
  });

  it('reports a thread death that came before the callback, as soon as the callback is given', async () => {
    const p = pool('crash');
    await p.start();
    // The stand-in thread dies 50 ms after it started.
    await new Promise((r) => setTimeout(r, 300));
    const failures: string[] = [];
    p.whenFailed((message) => failures.push(message));
    expect(failures).toEqual(['stub thread crashed']);
    await p.close();
  });
});
