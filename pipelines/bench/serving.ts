/**
 * Serving benchmark: a private redis-server, the real `leadscore serve` worker in its own
 * process, and a no-op BullMQ worker beside it (same Redis, same concurrency, same run).
 * Prints one JSON line last: scoreJobsPerSecond, noopJobsPerSecond, ratio (target >= 0.7),
 * batchLeadsPerSecond (score-batch jobs of 1000 leads; target >= 100k), p50Ms / p99Ms of a
 * client's round trip at an offered 500 jobs/s (target p99 <= 25 ms) and workerRssMb.
 *
 * scoreJobsPerSecond and noopJobsPerSecond are the medians of `--rounds` alternating runs
 * (roundRatios: each round's ratio); batchLeadsPerSecond the median of `--rounds` runs of
 * 100 batch jobs (batchRoundLeadsPerSecond: each run; batchCpuMsPerJob: CPU ms per 1000-lead
 * job of the worker, then redis-server, in the median run), taken by a second worker started
 * with `--threads` as many as the machine's cores (batchThreads), warmed up as the first.
 * The same figures of the first, one-thread worker, in runs alternating with those, end in
 * `OneThread`. p50Ms and p99Ms are those of the run with the median p99 among `--rounds`
 * runs of 3000 round trips (roundP99Ms: each run's p99). stealPercent: the share of the
 * machine's CPU time that went to other guests of the hypervisor during the whole run.
 *
 * With `--to-postgres URL`, a third worker, started with `serve --to-postgres URL --table` (a
 * table in a fresh schema, dropped at the end), takes single and 1000-lead batch jobs in
 * runs alternating with the first worker's: toPostgresScoreJobsPerSecond and
 * toPostgresBatchLeadsPerSecond, and their ratios to the first worker's in the same rounds.
 *
 * Run: npm run bench:serving [-- --concurrency 64] [--jobs 5000] [--rounds 5] [--batch-threads N] [--config FILE --model DIR] [--to-postgres URL]
 * Without --config and --model, a 10,000-lead synthetic funnel is generated and a model
 * trained on it with `leadscore train` (event features, calibration, tiers, rules); the
 * payloads are that data set's leads, attributes only.
 * This script talks to the worker only through Redis, as a calling service would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue, QueueEvents } from 'bullmq';
import { frameRow } from '../../features/frame.ts';
import { loadDatasetConfig } from '../config/load-config.ts';
import { loadLeads } from '../io/load-leads.ts';
import { freePort, startLocalRedis } from '../../test/helpers/local-redis.ts';
import { createPostgresSchema, type PostgresSchema } from '../../test/helpers/local-postgres.ts';
import { trainFunnelModel } from '../../test/helpers/train-bench-model.ts';
import { cpuMs, machineCpu, stealPercent } from '../../test/helpers/machine-cpu.ts';
import { benchArg } from './bench-args.ts';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/leadscore.js');
const arg = (name: string, fallback?: string): string | undefined => benchArg(name) ?? fallback;
const concurrency = Number(arg('concurrency', '64'));
const jobsPerRun = Number(arg('jobs', '5000'));
const rounds = Number(arg('rounds', '5'));
const batchThreads = Number(arg('batch-threads', String(os.availableParallelism())));
const toPostgres = arg('to-postgres');

const redis = await startLocalRedis();
const cpuAtStart = machineCpu();
const children: ChildProcess[] = [];
const workDir = mkdtempSync(path.join(os.tmpdir(), 'leadscore-bench-serving-'));
let db: PostgresSchema | undefined;
try {
  const given = arg('config') && arg('model') ? { config: arg('config')!, model: arg('model')! } : undefined;
  const { config, model } = given ?? (await trainFunnelModel(workDir, 10_000));
  const leads = await benchLeads(config, 2000);
  const metricsPort = await freePort();
  /** `leadscore serve` on `queue`, its metrics on `port`, quiet, without hot reload. */
  const serve = (queue: string, port: number, more: string[] = []) =>
    spawnChild(bin, [
      ...['serve', '--model', model, '--redis', redis.url, '--queue', queue, '--concurrency', String(concurrency)],
      ...['--metrics-port', String(port), '--log-level', 'warn', '--reload-interval', '0', ...more],
    ]);
  const worker = serve('bench-score', metricsPort);
  const noopWorker = spawnChild(
    path.join(root, 'pipelines/bench/noop-worker.ts'),
    [redis.url, 'bench-noop', String(concurrency)],
    true,
  );
  // Batch jobs keep one thread busy parsing, scoring and serialising; a worker with more
  // threads (`serve --threads`) takes them on the cores Redis and the producer leave free.
  // It idles, on a queue of its own, until the batch runs.
  // The first worker has not bound its port yet: another free port may be that same one.
  let batchWorkerPort = await freePort();
  while (batchWorkerPort === metricsPort) batchWorkerPort = await freePort();
  const batchWorker = serve('bench-batch', batchWorkerPort, ['--threads', String(batchThreads)]);
  // The first worker's twin that also writes every scored lead to PostgreSQL.
  let pgWorker: ChildProcess | undefined;
  if (toPostgres) {
    db = await createPostgresSchema(toPostgres);
    let port = await freePort();
    while (port === metricsPort || port === batchWorkerPort) port = await freePort();
    pgWorker = serve('bench-pg', port, ['--to-postgres', toPostgres, '--table', `${db.schema}.bench_scores`]);
    await waitForHealth(port, pgWorker);
  }
  await Promise.all([
    waitForHealth(metricsPort, worker),
    waitForLine(noopWorker, 'ready'),
    waitForHealth(batchWorkerPort, batchWorker),
  ]);

  const scoreJob = (i: number) => ({ name: 'score', data: { lead: leads[i % leads.length]! } });
  const statelessJob = (i: number) => ({ name: 'score', data: { lead: leads[i % leads.length]!, store: false } });
  // Warm-up, the same for both workers: model, connections, and the JIT, which keeps
  // optimising the worker's, BullMQ's and ioredis's code over the first few thousand jobs.
  // A serving worker runs for days; its steady state is what is compared.
  await throughput('bench-score', 3000, scoreJob);
  await throughput('bench-noop', 3000, scoreJob);
  if (pgWorker) await throughput('bench-pg', 3000, scoreJob);
  // The threaded worker's threads share the jobs: each sees as many as the first worker does
  // before its batch runs (warm-up, score rounds), about.
  await throughput('bench-batch', (3000 + (rounds + 1) * jobsPerRun) * batchThreads, scoreJob);
  // Score and no-op runs alternate, a few rounds each, and the medians are compared: on a
  // small shared machine one run of either can be slowed by the other processes.
  const scoreRuns: Measured<number>[] = [];
  const noopRuns: Measured<number>[] = [];
  const pgRuns: Measured<number>[] = [];
  for (let round = 0; round < rounds; round++) {
    scoreRuns.push(await measured([worker, redis.process()], () => throughput('bench-score', jobsPerRun, scoreJob)));
    noopRuns.push(await measured([noopWorker, redis.process()], () => throughput('bench-noop', jobsPerRun, scoreJob)));
    if (pgWorker)
      pgRuns.push(await measured([pgWorker, redis.process()], () => throughput('bench-pg', jobsPerRun, scoreJob)));
  }
  const score = median(scoreRuns);
  const noop = median(noopRuns);
  const stateless = await measured([worker, redis.process()], () =>
    throughput('bench-score', jobsPerRun, statelessJob),
  );
  const scoreJobsPerSecond = score.value;
  const noopJobsPerSecond = noop.value;

  const batch = (i: number) => ({
    name: 'score-batch',
    data: { leads: Array.from({ length: 1000 }, (_, k) => leads[(i * 1000 + k) % leads.length]!) },
  });
  // Batches are added a few jobs at a time, as producers do, so adding overlaps scoring
  // instead of one 40 MB bulk add holding back the first job.
  const batchRun = (queueName: string, processes: ChildProcess[]) =>
    measured([...processes, redis.process()], async () => (await throughput(queueName, 100, batch, 5)) * 1000);
  await throughput('bench-score', 20, batch, 5);
  await throughput('bench-batch', 20, batch, 5);
  if (pgWorker) await throughput('bench-pg', 20, batch, 5);
  // The one-thread and the threaded worker alternate, `--rounds` runs of 100 jobs each (about
  // a second), and the medians are kept, as for the single jobs.
  const oneThreadRuns: Measured<number>[] = [];
  const threadedRuns: Measured<number>[] = [];
  const pgBatchRuns: Measured<number>[] = [];
  for (let round = 0; round < rounds; round++) {
    oneThreadRuns.push(await batchRun('bench-score', [worker]));
    threadedRuns.push(await batchRun('bench-batch', [batchWorker]));
    if (pgWorker) pgBatchRuns.push(await batchRun('bench-pg', [pgWorker]));
  }
  if (pgWorker) {
    pgWorker.kill('SIGTERM');
    await new Promise((r) => (pgWorker.exitCode !== null ? r(null) : pgWorker.once('exit', r)));
  }
  const oneThread = median(oneThreadRuns);
  const threaded = median(threadedRuns);
  // Gone before the round trips, so that nothing of it (an idle-time collection of its
  // heaps, say) runs beside them.
  batchWorker.kill('SIGTERM');
  await new Promise((r) => (batchWorker.exitCode !== null ? r(null) : batchWorker.once('exit', r)));
  // The round trips are measured after a warm-up of the same kind: the batch runs before
  // leave the worker a large heap to collect, and the client's event listener is still cold.
  await roundTrips('bench-score', 500, 1000, scoreJob);
  // The median of `--rounds` runs of 3000 round trips (6 s each): a p99 is the 30th slowest
  // trip, and a pause of the machine in one run moves it more than anything the worker does.
  const latencyRuns: { p50: number; p99: number }[] = [];
  for (let r = 0; r < rounds; r++) latencyRuns.push(await roundTrips('bench-score', 500, 3000, scoreJob));
  const latency = [...latencyRuns].sort((a, b) => a.p99 - b.p99)[Math.floor(rounds / 2)]!;
  const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);

  const result = {
    concurrency,
    jobs: jobsPerRun,
    scoreJobsPerSecond: Math.round(scoreJobsPerSecond),
    noopJobsPerSecond: Math.round(noopJobsPerSecond),
    ratio: round(scoreJobsPerSecond / noopJobsPerSecond, 3),
    roundRatios: scoreRuns.map((r, i) => round(r.value / noopRuns[i]!.value, 3)),
    statelessScoreJobsPerSecond: Math.round(stateless.value),
    batchThreads,
    batchLeadsPerSecond: Math.round(threaded.value),
    batchRoundLeadsPerSecond: threadedRuns.map((r) => Math.round(r.value)),
    batchLeadsPerSecondOneThread: Math.round(oneThread.value),
    batchRoundLeadsPerSecondOneThread: oneThreadRuns.map((r) => Math.round(r.value)),
    offeredJobsPerSecond: 500,
    p50Ms: round(latency.p50, 2),
    p99Ms: round(latency.p99, 2),
    roundP99Ms: latencyRuns.map((l) => round(l.p99, 2)),
    workerRssMb: round(kb('VmRSS') / 1024, 1),
    workerPeakRssMb: round(kb('VmHWM') / 1024, 1),
    // CPU time per job (worker process, then redis-server): independent of other load on the machine.
    scoreCpuMsPerJob: score.cpuMs.map((ms) => round(ms / jobsPerRun, 3)),
    noopCpuMsPerJob: noop.cpuMs.map((ms) => round(ms / jobsPerRun, 3)),
    statelessCpuMsPerJob: stateless.cpuMs.map((ms) => round(ms / jobsPerRun, 3)),
    batchCpuMsPerJob: threaded.cpuMs.map((ms) => round(ms / 100, 2)),
    batchCpuMsPerJobOneThread: oneThread.cpuMs.map((ms) => round(ms / 100, 2)),
    ...(db && {
      toPostgresScoreJobsPerSecond: Math.round(median(pgRuns).value),
      toPostgresRatio: round(median(pgRuns).value / scoreJobsPerSecond, 3),
      toPostgresRoundRatios: pgRuns.map((r, i) => round(r.value / scoreRuns[i]!.value, 3)),
      toPostgresBatchLeadsPerSecond: Math.round(median(pgBatchRuns).value),
      toPostgresBatchRatio: round(median(pgBatchRuns).value / oneThread.value, 3),
      toPostgresRoundBatchRatios: pgBatchRuns.map((r, i) => round(r.value / oneThreadRuns[i]!.value, 3)),
      toPostgresRowsWritten: Number(
        (await db.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.bench_scores`)).rows[0]!.n,
      ),
    }),
    loadAverage: round(os.loadavg()[0]!, 1),
    // The share of CPU time the hypervisor gave to other guests while this ran: on a shared
    // virtual machine every figure above drops with it.
    stealPercent: stealPercent(cpuAtStart, machineCpu()),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  await redis.dispose();
  await db?.dispose();
  rmSync(workDir, { recursive: true, force: true });
}

interface Measured<T> {
  value: T;
  /** CPU milliseconds each process spent meanwhile. */
  cpuMs: number[];
}

/** The run with the median value. */
function median(runs: Measured<number>[]): Measured<number> {
  return [...runs].sort((a, b) => a.value - b.value)[Math.floor(runs.length / 2)]!;
}

/** Runs `fn` and returns its value with the CPU milliseconds each process spent meanwhile. */
async function measured<T>(processes: ChildProcess[], fn: () => Promise<T>): Promise<Measured<T>> {
  const before = processes.map(cpuMs);
  const value = await fn();
  return { value, cpuMs: processes.map((p, i) => cpuMs(p) - before[i]!) };
}

/** Jobs per second to complete `n` jobs added in bulk, from the first add to the last completion. */
async function throughput(
  queueName: string,
  n: number,
  job: (i: number) => { name: string; data: unknown },
  addChunk = 1000,
): Promise<number> {
  const queue = new Queue(queueName, { connection: { url: redis.url } });
  await queue.obliterate({ force: true });
  const started = performance.now();
  for (let i = 0; i < n; i += addChunk)
    await queue.addBulk(Array.from({ length: Math.min(addChunk, n - i) }, (_, k) => job(i + k)));
  for (;;) {
    const c = await queue.getJobCounts('completed', 'failed');
    if ((c['failed'] ?? 0) > 0)
      throw new Error(`${queueName}: ${c['failed']} jobs failed: ${(await queue.getFailed(0, 0))[0]?.failedReason}`);
    if ((c['completed'] ?? 0) >= n) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  await queue.obliterate({ force: true });
  await queue.close();
  return n / seconds;
}

/** Client round trips (add, then wait through queue events) offered at `rate` jobs/s. */
async function roundTrips(
  queueName: string,
  rate: number,
  n: number,
  job: (i: number) => { name: string; data: unknown },
) {
  const queue = new Queue(queueName, { connection: { url: redis.url } });
  const events = new QueueEvents(queueName, { connection: { url: redis.url } });
  events.setMaxListeners(0);
  queue.setMaxListeners(0);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const times: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const { name, data } = job(i);
    pending.push(
      (async () => {
        const t = performance.now();
        const added = await queue.add(name, data, { removeOnComplete: { age: 60 } });
        await added.waitUntilFinished(events, 10_000);
        times.push(performance.now() - t);
      })(),
    );
  }
  await Promise.all(pending);
  await Promise.all([events.close(), queue.close()]);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/** The config's leads as score payloads (attributes by column name). */
async function benchLeads(config: string, n: number) {
  const { frame } = await loadLeads(await loadDatasetConfig(config), { requireLabel: false });
  return Array.from({ length: Math.min(n, frame.rowCount) }, (_, i) => ({
    leadId: `bench-${i}`,
    attributes: frameRow(frame, i),
  }));
}

function spawnChild(script: string, args: string[], viaTsx = false): ChildProcess {
  const child = spawn(process.execPath, viaTsx ? ['--import', 'tsx', script, ...args] : [script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(line)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before "${line}"`)));
  });
}

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  child.stdout!.resume();
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`worker exited with code ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('worker did not become healthy within 120 s');
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
