import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/local-redis.ts';
import { runCliAsync } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { missingClusterTools, privateRedisCluster } from '../../serving/redis-cluster.ts';
import { freshName, privateRedis } from '../../serving/redis-server.ts';
import { waitFor, type WorkerProcess } from '../../serving/worker-process.ts';
import { expectSameScores, funnelModel, leadsFile, outputIds, startWorkers, stopWorkers } from './fan-out-fixture.ts';

const tmp = tempDir('leadscore-fan-out-faults-');
const started: WorkerProcess[] = [];
let model = '';
let leadsParquet = '';
let csv = '';
let local = '';
let redis = '';

beforeAll(async () => {
  ({ model, leadsParquet } = await funnelModel(tmp.dir, 3000));
  csv = await leadsFile(tmp.dir, leadsParquet, 'leads.csv', 3000);
  local = path.join(tmp.dir, 'local.csv');
  const r = await runCliAsync(['score', '--model', model, '--input', csv, '--output', local, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  redis = (await privateRedis()).url;
}, 180_000);
afterAll(() => stopWorkers(started));

/** `leadscore score --queue` on the private Redis (or `options.redis`), in chunks of 700 leads (or `options.chunk`). */
function fanOut(
  queue: string,
  input: string,
  output: string,
  options: { more?: string[]; redis?: string; chunk?: number } = {},
) {
  return runCliAsync(
    [
      'score',
      '--model',
      model,
      '--input',
      input,
      '--output',
      output,
      '--queue',
      queue,
      '--redis',
      options.redis ?? redis,
      '--chunk',
      String(options.chunk ?? 700),
      ...(options.more ?? []),
    ],
    { env: { LEADSCORE_QUIET: '1' } },
  );
}

describe('score --queue when something is wrong', () => {
  it('reports a lead the workers refuse with its row, exit code 2 and no output; --skip-bad-rows scores the rest', async () => {
    const queue = freshName('bad');
    started.push(...(await startWorkers(1, { model, redis, queue })));
    // A lead created in 1995: its scoring time is before 2000, which local score takes but a worker refuses.
    const bad = await leadsFile(
      tmp.dir,
      leadsParquet,
      'bad.csv',
      3000,
      `* REPLACE (CASE WHEN lead_id = 'L0001500' THEN TIMESTAMP '1995-03-01' ELSE created_at END AS created_at)`,
    );
    const out = path.join(tmp.dir, 'bad-out.csv');
    const r = await fanOut(queue, bad, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /bad\.csv: 1 bad row: row 1501: asOf: 795225600000 .*epoch milliseconds \(use --skip-bad-rows/,
    );
    expect(existsSync(out)).toBe(false);

    const skipped = await fanOut(queue, bad, out, { more: ['--skip-bad-rows'] });
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toMatch(/row 1501: asOf: /);
    const ids = outputIds(out);
    expect(ids).toHaveLength(2999);
    expect(ids).not.toContain('L0001500');
    // The other leads are scored as local score scores them.
    const localLines = readFileSync(local, 'utf8').split('\n');
    const kept = localLines.filter((l) => !l.startsWith('L0001500,'));
    expect(readFileSync(out, 'utf8').split('\n')).toEqual(kept);
  }, 180_000);

  it('stops with one line naming both versions when a worker serves another model version', async () => {
    const queue = freshName('version');
    const other = await funnelModel(path.join(tmp.dir, 'other'), 3000, 2000, 'other-model');
    started.push(...(await startWorkers(1, { model: other.model, redis, queue })));
    const out = path.join(tmp.dir, 'version-out.csv');
    const r = await fanOut(queue, csv, out);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const version = (dir: string) =>
      (JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { version: string }).version;
    expect(r.stderr).toContain(`scored with model ${version(other.model)}`);
    expect(r.stderr).toContain(`this run scores with ${version(model)}`);
    expect(existsSync(out)).toBe(false);
  }, 180_000);

  it('stops with one line and exit code 2 when Redis cannot be reached, within its timeout', async () => {
    const port = await freePort();
    const out = path.join(tmp.dir, 'unreachable.csv');
    const startedAt = Date.now();
    const r = await fanOut('q', csv, out, {
      redis: `redis://127.0.0.1:${port}`,
      more: ['--redis-timeout', '2000'],
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`redis redis://127\\.0\\.0\\.1:${port}: not reachable within 2000 ms`));
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('stops with one line and exit code 2 when Redis goes away midway, leaving no output', async () => {
    const server = await privateRedis();
    const queue = freshName('lost');
    started.push(...(await startWorkers(1, { model, redis: server.url, queue })));
    const out = path.join(tmp.dir, 'lost.csv');
    const run = fanOut(queue, csv, out, { redis: server.url, chunk: 100 });
    const events = new Queue(queue, { connection: { host: '127.0.0.1', port: server.port } });
    await waitFor(async () => ((await events.getJobCounts('completed')).completed ?? 0) >= 2, 'two chunks scored');
    await events.close();
    await server.stop();
    const r = await run;
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`redis ${server.url}: not reachable`);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('refuses the queue flags without --queue', async () => {
    const r = await runCliAsync(['score', '--model', model, '--input', csv, '--output', 'x.csv', '--redis', redis]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--redis: needs --queue');
  });
});

// In CI the cluster tests must run (.ci/run installs redis-server, which brings redis-cli); locally they may be skipped.
describe.skipIf(missingClusterTools.length > 0 && !process.env['CI'])('score --queue on a Redis Cluster', () => {
  it('gives the output of local score, with --cluster and a prefix with a hash tag', async () => {
    const cluster = await privateRedisCluster(3);
    const queue = freshName('cluster');
    const prefix = '{fan-out}';
    started.push(...(await startWorkers(1, { model, redis: cluster.url, queue, cluster: true, prefix })));
    const out = path.join(tmp.dir, 'cluster.csv');
    const args = ['score', '--model', model, '--input', csv, '--output', out, '--queue', queue, '--chunk', '700'];
    const noTag = await runCliAsync([...args, '--redis', cluster.url, '--cluster', '--prefix', 'fan-out']);
    expect(noTag.code).toBe(2);
    expect(noTag.stderr).toContain('needs a hash tag');
    const r = await runCliAsync([...args, '--redis', cluster.url, '--cluster', '--prefix', prefix], {
      env: { LEADSCORE_QUIET: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^scored 3000 leads with \S+ on 1 worker of queue \S+; 0 of 5 chunks reused/m);
    expect(expectSameScores(out, local)).toBe(3000);
  }, 180_000);
});
