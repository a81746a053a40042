/**
 * Fan-out benchmark: `leadscore score` on this machine against `leadscore score --queue`
 * with one and with two `leadscore serve` worker processes, on the same leads file, in the
 * same run, in alternating rounds, with a private redis-server. Prints each run, then one
 * JSON line: localLeadsPerSecond, oneWorkerLeadsPerSecond, twoWorkersLeadsPerSecond (medians
 * of `--rounds`), oneWorkerRatio (against local: target >= 0.7), twoWorkersRatio,
 * overheadMsPerChunk (the one-worker run's wall time beyond local scoring's, per chunk),
 * workerCpuMsPerChunk (CPU of the one worker per chunk), loadAverage and stealPercent.
 *
 * Run: npm run bench:fanout [-- --leads 100000] [--chunk 5000] [--rounds 2]
 * A synthetic funnel of `--leads` leads is generated and a model trained on it with
 * `leadscore train`; every run scores all its leads (with their events) from its Parquet file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startLocalRedis } from '../../test/helpers/local-redis.ts';
import { trainFunnelModel } from '../../test/helpers/train-bench-model.ts';
import { cpuMs, machineCpu, stealPercent } from '../../test/helpers/machine-cpu.ts';
import { benchArg } from './bench-args.ts';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/leadscore.js');
const arg = (name: string, fallback: string): string => benchArg(name) ?? fallback;
const leads = Number(arg('leads', '100000'));
const chunk = Number(arg('chunk', '5000'));
const rounds = Number(arg('rounds', '2'));

const redis = await startLocalRedis();
const admin = new Redis(redis.port, '127.0.0.1');
const cpuAtStart = machineCpu();
const workDir = mkdtempSync(path.join(os.tmpdir(), 'leadscore-bench-fanout-'));
const workers: ChildProcess[] = [];
try {
  const { model } = await trainFunnelModel(workDir, leads);
  const input = path.join(workDir, 'funnel', 'leads.parquet');
  const one = [await startWorker(model, 'one')];
  await startWorker(model, 'two');
  await startWorker(model, 'two');
  const chunks = Math.ceil(leads / chunk);
  const local: number[] = [];
  const oneWorker: number[] = [];
  const twoWorkers: number[] = [];
  const workerCpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    local.push(await timed(['score', '--model', model, '--input', input, '--output', out('local')]));
    for (const [queue, list] of [
      ['one', oneWorker],
      ['two', twoWorkers],
    ] as const) {
      // A fresh Redis each time: nothing is reused from the run before.
      await admin.flushall();
      const cpuBefore = cpuMs(one[0]!);
      const args = ['score', '--model', model, '--input', input, '--output', out(queue)];
      list.push(await timed([...args, '--queue', queue, '--redis', redis.url, '--chunk', String(chunk)]));
      if (queue === 'one') workerCpu.push((cpuMs(one[0]!) - cpuBefore) / chunks);
    }
    process.stdout.write(
      `round ${r + 1}: local ${rate(local.at(-1)!)} leads/s, one worker ${rate(oneWorker.at(-1)!)}, two workers ${rate(twoWorkers.at(-1)!)}\n`,
    );
  }
  const [l, o, t] = [median(local), median(oneWorker), median(twoWorkers)];
  const result = {
    leads,
    chunk,
    chunks,
    rounds,
    localLeadsPerSecond: rate(l),
    oneWorkerLeadsPerSecond: rate(o),
    twoWorkersLeadsPerSecond: rate(t),
    oneWorkerRatio: round(l / o, 2),
    twoWorkersRatio: round(l / t, 2),
    overheadMsPerChunk: round((o - l) / chunks, 1),
    workerCpuMsPerChunk: round(median(workerCpu), 1),
    loadAverage: os.loadavg().map((x) => round(x, 2)),
    stealPercent: stealPercent(cpuAtStart, machineCpu()),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
  admin.disconnect();
  await redis.dispose();
  rmSync(workDir, { recursive: true, force: true });
}

function out(name: string): string {
  return path.join(workDir, `${name}.csv`);
}

/** Wall milliseconds of one `leadscore` run, which must succeed. */
async function timed(args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...args, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`leadscore ${args[0]} exited with ${code}: ${stderr}`);
  return performance.now() - started;
}

/** A `leadscore serve` process on `queue`, once it takes jobs. */
async function startWorker(model: string, queue: string): Promise<ChildProcess> {
  const args = ['serve', '--model', model, '--redis', redis.url, '--queue', queue, '--metrics-port', '0'];
  const child = spawn(process.execPath, [bin, ...args, '--reload-interval', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.push(child);
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('scoring worker started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`leadscore serve exited with ${code}`)));
  });
  return child;
}

function rate(ms: number): number {
  return Math.round(leads / (ms / 1000));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
