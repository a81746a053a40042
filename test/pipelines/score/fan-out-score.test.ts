import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRedis } from '../../helpers/local-redis.ts';
import { repoRoot, runCliAsync } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { freshName, privateRedis } from '../../serving/redis-server.ts';
import { waitFor, type WorkerProcess } from '../../serving/worker-process.ts';
import { expectSameScores, funnelModel, leadsFile, outputIds, startWorkers, stopWorkers } from './fan-out-fixture.ts';

const LEADS = 200_000;
const tmp = tempDir('leadscore-fan-out-');
const queueName = freshName('fan-out');
let model = '';
let csv = '';
let local = '';
let redis: LocalRedis;
let queue: Queue;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  const made = await funnelModel(tmp.dir, LEADS);
  model = made.model;
  csv = await leadsFile(tmp.dir, made.leadsParquet, 'leads.csv', LEADS);
  local = path.join(tmp.dir, 'local.csv');
  const r = await runCliAsync(['score', '--model', model, '--input', csv, '--output', local], {
    env: { LEADSCORE_QUIET: '1' },
  });
  expect(r.code, r.stderr).toBe(0);
  redis = await privateRedis();
  queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
  workers = await startWorkers(3, { model, redis: redis.url, queue: queueName });
}, 240_000);
afterAll(async () => {
  await stopWorkers(workers);
  await queue?.close();
});

/** `leadscore score --queue` in a child process of its own, to be killed or awaited. */
function startFanOut(output: string, chunk: number) {
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'bin/leadscore.js'),
      ...['score', '--model', model, '--input', csv, '--output', output],
      ...['--queue', queueName, '--redis', redis.url, '--chunk', String(chunk)],
    ],
    { env: { ...process.env, LEADSCORE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exited };
}

const completed = async () => (await queue.getJobCounts('completed')).completed ?? 0;

describe('score --queue over serve workers in processes of their own', () => {
  it('scores 200,000 leads on three workers, one killed mid-chunk: the output of local score, each lead once', async () => {
    const out = path.join(tmp.dir, 'fan-out.csv');
    const run = startFanOut(out, 5000);
    // Midway, a worker dies with a chunk in its hands. It is frozen first and the chunk checked
    // to be still in its hands: a chunk takes milliseconds, and one finished between the look
    // and the kill would leave nothing to take over.
    let victim: { pid: number; job: string } | undefined;
    await waitFor(
      async () => {
        if ((await completed()) < 8) return false;
        for (const job of await queue.getJobs(['active'])) {
          const pid = Number(job.processedBy?.split(':')[1]);
          const worker = workers.find((w) => w.child.pid === pid);
          if (!worker) continue;
          worker.child.kill('SIGSTOP');
          const now = await queue.getJob(job.id!);
          if ((await now?.getState()) === 'active' && now!.processedBy === job.processedBy) {
            victim = { pid, job: job.id! };
            return true;
          }
          worker.child.kill('SIGCONT');
        }
        return false;
      },
      'a worker scoring a chunk',
      180_000,
      20,
    );
    const dead = workers.find((w) => w.child.pid === victim!.pid)!;
    dead.child.kill('SIGKILL');
    await dead.exited;
    const r = await run.exited;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^scored 200000 leads with \S+ on [23] workers of queue \S+; 0 of 40 chunks reused/m);
    // The chunk the dead worker held was taken over by another one, through BullMQ's stalled-job check.
    const taken = await queue.getJob(victim!.job);
    expect(await taken!.getState()).toBe('completed');
    expect(Number(taken!.processedBy!.split(':')[1])).not.toBe(victim!.pid);
    expect(expectSameScores(out, local)).toBe(LEADS);
    expect(new Set(outputIds(out)).size).toBe(LEADS);
  }, 240_000);

  it('is killed midway and run again: reuses the chunks already scored, and gives the same output', async () => {
    const out = path.join(tmp.dir, 'rerun.csv');
    const before = await completed();
    // Another chunk size: another fingerprint, so none of the first run's jobs are reused.
    const first = startFanOut(out, 4000);
    await waitFor(async () => (await completed()) >= before + 10, 'ten chunks scored', 180_000, 20);
    first.child.kill('SIGKILL');
    await first.exited;
    const doneAtKill = (await completed()) - before;
    expect(doneAtKill).toBeLessThan(50);
    expect(existsSync(out)).toBe(false);

    const again = await startFanOut(out, 4000).exited;
    expect(again.code, again.stderr).toBe(0);
    const reused = Number(/; (\d+) of 50 chunks reused from an earlier run/.exec(again.stdout)?.[1]);
    expect(reused).toBeGreaterThanOrEqual(doneAtKill);
    expect(reused).toBeLessThan(50);
    // Each chunk scored once: the rerun added only the chunks it did not find.
    expect((await completed()) - before).toBe(50);
    expect(expectSameScores(out, local)).toBe(LEADS);
  }, 240_000);
});
