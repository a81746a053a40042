import calculateSlot from 'cluster-key-slot';
import { Queue } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { LeadScoringClient } from '../../serving/lead-scoring-client.ts';
import { OnlineState } from '../../serving/online-state.ts';
import { createClusterConnection, createRedisConnection, type RedisClient } from '../../serving/redis-connection.ts';
import { ScoringWorker } from '../../serving/scoring-worker.ts';
import { realArtifact } from './real-artifact.ts';
import { missingClusterTools, privateRedisCluster, type LocalRedisCluster } from './redis-cluster.ts';
import { freshName, privateRedis } from './redis-server.ts';
import { loadStubModel } from './stub-model.ts';
import { startHarness, type Harness } from './worker-harness.ts';
import { startWorkerProcess, waitFor } from './worker-process.ts';

// In CI the cluster tests must run (.ci/run installs redis-server, which brings redis-cli); locally they may be skipped.
const skip = missingClusterTools.length > 0 && !process.env.CI;
if (skip)
  console.warn(
    `redis-cluster.test.ts skipped: ${missingClusterTools.join(' and ')} not found (install them with: apt-get install -y redis-server)`,
  );

const T0 = Date.UTC(2026, 0, 1);

/** The keys of each STORE_SCORED call (EVAL or EVALSHA naming keys under `prefix`) the servers on `ports` run. */
async function watchStoreCalls(ports: number[], prefix: string): Promise<{ calls: string[][]; stop: () => void }> {
  const calls: string[][] = [];
  const monitors = await Promise.all(ports.map((port) => new Redis({ port, lazyConnect: true }).monitor()));
  for (const m of monitors) {
    m.on('monitor', (_time: string, args: string[]) => {
      const n = Number(args[2]);
      if (/^eval(sha)?$/i.test(args[0] ?? '') && n % 4 === 0 && args[3]?.startsWith(prefix))
        calls.push(args.slice(3, 3 + n));
    });
  }
  return { calls, stop: () => monitors.forEach((m) => m.disconnect()) };
}

/** Stores `leadIds` scored (tier B, score 50) in one event-loop turn, as the jobs scored together do. */
function storeInOneTurn(state: OnlineState, leadIds: string[]) {
  return Promise.all(leadIds.map((id) => state.storeScored(id, { n: id }, true, 'B', 50, `job-${id}`)));
}

/** The lead of each call's first key, and whether every key of the call is in one slot. */
function describeCalls(calls: string[][]): { leads: string[]; slotsPerCall: number[] } {
  const leads = calls.flatMap((keys) => keys.filter((_, i) => i % 4 === 0).map((k) => /\{(.*)\}/.exec(k)![1]!));
  return { leads, slotsPerCall: calls.map((keys) => new Set(keys.map((k) => calculateSlot(k))).size) };
}

/** `count` lead ids whose keys under `prefix` share one slot, found by trying ids in turn. */
function leadsInOneSlot(prefix: string, label: string, count: number): string[] {
  const first = `${label}0`;
  const slot = calculateSlot(`${prefix}:{${first}}`);
  const ids = [first];
  for (let i = 1; ids.length < count; i++)
    if (calculateSlot(`${prefix}:{${label}${i}}`) === slot) ids.push(`${label}${i}`);
  return ids;
}

describe.skipIf(skip)('on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  /** A client of the test's own for reading the cluster. */
  let reader: Cluster;

  beforeAll(async () => {
    cluster = await privateRedisCluster(3);
    reader = createClusterConnection(cluster.url, 'producer');
    await reader.ping();
  });
  afterAll(async () => {
    await reader?.quit();
  });

  /** How many keys under `prefix` each master holds. */
  const keysPerMaster = (prefix: string): Promise<number[]> =>
    Promise.all(reader.nodes('master').map(async (n) => (await n.keys(`${prefix}*`)).length));

  describe('online state', () => {
    let conn: RedisClient;
    beforeAll(() => {
      conn = createClusterConnection(cluster.url, 'worker', { enableAutoPipelining: true });
    });
    afterAll(async () => {
      await conn?.quit();
    });

    it('stores leads of many slots scored in one turn with one script call per slot', async () => {
      const prefix = freshName('state');
      const state = new OnlineState(conn, { keyPrefix: prefix, ttlSeconds: 1000 });
      // The first call on each node loads the script (a failed EVALSHA, then EVAL): not counted.
      await storeInOneTurn(
        state,
        Array.from({ length: 30 }, (_, i) => `warm${i}`),
      );
      const spread = Array.from({ length: 300 }, (_, i) => `s${i}`);
      const shared = [...leadsInOneSlot(prefix, 'g', 6), ...leadsInOneSlot(prefix, 'h', 4)];
      const leads = [...spread, ...shared];
      const slots = new Set(leads.map((id) => calculateSlot(state.keys(id)[0])));
      // Ten leads in two slots: at least eight calls fewer than leads.
      expect(slots.size).toBeLessThanOrEqual(leads.length - 8);

      const watch = await watchStoreCalls(
        cluster.nodes.map((n) => n.port),
        prefix,
      );
      try {
        const replies = await storeInOneTurn(state, leads);
        expect(replies.every((r) => 'commit' in r && r.commit.changed && r.commit.oldTier === null)).toBe(true);
        await waitFor(async () => watch.calls.length >= slots.size, 'the script calls on the monitors', 10_000);
        await new Promise((r) => setTimeout(r, 200));
        const { leads: called, slotsPerCall } = describeCalls(watch.calls);
        expect(watch.calls).toHaveLength(slots.size);
        expect(slotsPerCall.every((n) => n === 1)).toBe(true);
        expect(called.sort()).toEqual([...leads].sort());
      } finally {
        watch.stop();
      }
      const read = await Promise.all(leads.map((id) => state.read(id)));
      expect(read.every((s, i) => s.tier === 'B' && s.score === 50 && s.attributes?.['n'] === leads[i])).toBe(true);
      expect((await keysPerMaster(prefix)).every((n) => n > 0)).toBe(true);
    });

    it('keeps one script call per turn (up to 256 leads) on a single server', async () => {
      const redis = await privateRedis();
      const single = createRedisConnection(redis.url, 'worker', { enableAutoPipelining: true });
      try {
        const prefix = freshName('state');
        const state = new OnlineState(single, { keyPrefix: prefix });
        await storeInOneTurn(state, ['warm']);
        const watch = await watchStoreCalls([redis.port], prefix);
        try {
          const leads = Array.from({ length: 300 }, (_, i) => `s${i}`);
          await storeInOneTurn(state, leads);
          await waitFor(async () => watch.calls.length >= 2, 'the script calls on the monitor', 10_000);
          await new Promise((r) => setTimeout(r, 200));
          expect(watch.calls.map((keys) => keys.length / 4)).toEqual([256, 44]);
          expect(describeCalls(watch.calls).leads).toEqual(leads);
        } finally {
          watch.stop();
        }
      } finally {
        await single.quit();
      }
    });

    it('refuses a state prefix with braces', () => {
      expect(() => new OnlineState(conn, { keyPrefix: '{state}' })).toThrow(
        /state prefix "\{state\}": on a Redis Cluster keep it free of \{ and \}/,
      );
    });
  });

  describe('scoring worker', () => {
    let h: Harness;
    const prefix = `{${freshName('bull')}}`;
    beforeAll(async () => {
      h = await startHarness(cluster.url, { cluster: true, prefix, client: { prefix } });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('scores a lead, keeps it in the online state and reports healthy', async () => {
      const r = await h.client.score({ leadId: 'L1', attributes: { x: 0, email: 'ann@example.com' }, asOf: T0 });
      expect(r).toMatchObject({ leadId: 'L1', score: 50, tier: 'B', modelVersion: 'stub-1' });
      expect(await h.worker.state.read('L1')).toMatchObject({
        attributes: { x: 0, email: 'ann@example.com' },
        tier: 'B',
        score: 50,
      });
      expect(h.worker.health()).toMatchObject({ ok: true, redis: 'ready' });
      // The queue's keys all sit under the prefix's hash tag, on one master.
      expect((await keysPerMaster(prefix)).filter((n) => n > 0)).toHaveLength(1);
    });

    it('stores a batch of leads spanning every master, and announces the tiers it changes', async () => {
      const ids = Array.from({ length: 600 }, (_, i) => `b${i}`);
      expect(new Set(ids.map((id) => calculateSlot(h.worker.state.keys(id)[0]))).size).toBeGreaterThan(550);
      // Three leads have an event kept online: scored without events, they are scored again with it.
      await Promise.all(
        ['b0', 'b1', 'b2'].map((id) =>
          h.client.track({ leadId: id, type: 'visit', at: T0 - 1000, eventId: `e-${id}` }),
        ),
      );
      const first = await h.client.scoreBatch(
        ids.map((leadId) => ({ leadId, attributes: { x: 0 }, asOf: T0 })),
        { store: true },
      );
      expect(first.map((r) => r.score)).toEqual(ids.map((_, i) => (i < 3 ? 73 : 50)));
      const stored = await Promise.all(ids.map((id) => h.worker.state.read(id)));
      expect(stored.every((s, i) => s.attributes?.['x'] === 0 && s.tier === 'B' && s.score === first[i]!.score)).toBe(
        true,
      );
      expect((await keysPerMaster(`${h.queueName}:state`)).every((n) => n > 0)).toBe(true);

      // Every tenth lead now comes with two events: score 88, tier A.
      const second = await h.client.scoreBatch(
        ids.map((leadId, i) => ({
          leadId,
          attributes: { x: 0 },
          asOf: T0,
          ...(i % 10 === 5 ? { events: [1, 2].map((k) => ({ type: 'visit', at: T0 - 1000 * k })) } : {}),
        })),
        { store: true },
      );
      const promoted = ids.filter((_, i) => i % 10 === 5);
      expect(second.filter((r) => r.tier === 'A').map((r) => r.leadId)).toEqual(promoted);
      const announced = (await h.tierQueue.getJobs(['waiting'], 0, -1)).filter(
        (j) => j.data.cause.kind === 'score-batch',
      );
      expect(announced.map((j) => j.data.leadId as string).sort()).toEqual([...promoted].sort());
      expect(announced[0]!.data).toMatchObject({ oldTier: 'B', newTier: 'A', oldScore: 50, newScore: 88 });
      expect((await h.worker.state.read('b5')).tier).toBe('A');
    });

    it('changes a tier through event jobs and announces it once', async () => {
      await h.client.score({ leadId: 'E1', attributes: {} });
      const one = await h.client.track({ leadId: 'E1', type: 'visit', at: Date.now() - 5000, eventId: 'a' });
      expect(one.tierChanged).toBe(false);
      const two = await h.client.track({ leadId: 'E1', type: 'form', at: Date.now() - 4000, eventId: 'b' });
      expect(two).toMatchObject({ tierChanged: true, previousTier: 'B', result: { tier: 'A', score: 88 } });
      const again = await h.client.track({ leadId: 'E1', type: 'form', at: Date.now() - 4000, eventId: 'b' });
      expect(again).toMatchObject({ duplicate: true, tierChanged: false });
      const jobs = (await h.tierQueue.getJobs(['waiting'], 0, -1)).filter((j) => j.data.leadId === 'E1');
      expect(jobs.map((j) => j.data)).toEqual([
        expect.objectContaining({
          oldTier: 'B',
          newTier: 'A',
          oldScore: 73,
          newScore: 88,
          cause: expect.objectContaining({ kind: 'event' }),
        }),
      ]);
      expect((await h.worker.state.read('E1')).events.map((e) => e.eventId)).toEqual(['a', 'b']);
    });

    it('refuses a BullMQ prefix without a hash tag in the worker and the client', () => {
      expect(
        () =>
          new ScoringWorker({
            loader: loadStubModel,
            model: h.artifactDir,
            redisUrl: cluster.url,
            cluster: true,
            prefix: 'bull',
          }),
      ).toThrow(InputError);
      expect(() => new LeadScoringClient({ redisUrl: cluster.url, cluster: true, prefix: 'leadscore' })).toThrow(
        /prefix "leadscore": on a Redis Cluster the BullMQ prefix needs a hash tag, e\.g\. "\{leadscore\}"/,
      );
    });
  });

  it('serves on a Cluster that needs a password, given one seed node, and never logs the password', async () => {
    const secured = await privateRedisCluster(3, { password: 's3cret p@ss' });
    const seed = secured.nodes[0]!.url;
    expect(seed).toContain(':s3cret%20p%40ss@');
    const prefix = `{${freshName('bull')}}`;
    const h = await startHarness(seed, { cluster: true, prefix, client: { prefix } });
    try {
      const ids = Array.from({ length: 100 }, (_, i) => `pw${i}`);
      const results = await h.client.scoreBatch(
        ids.map((leadId) => ({ leadId, attributes: {} })),
        { store: true },
      );
      expect(results.map((r) => r.score)).toEqual(ids.map(() => 50));
      // The nodes found through the seed took the password too: every one holds some leads.
      const nodes = secured.nodes.map((n) => new Redis(n.url));
      const perNode = await Promise.all(nodes.map((n) => n.keys(`${h.queueName}:state:*`)));
      await Promise.all(nodes.map((n) => n.quit()));
      expect(perNode.every((keys) => keys.length > 0)).toBe(true);
      expect(h.logs.join('\n')).not.toMatch(/s3cret/);
    } finally {
      await h.close();
    }
  });

  describe('leadscore serve --cluster', () => {
    it('takes score and stored score-batch jobs with a hash-tagged prefix', async () => {
      const model = await realArtifact();
      const queue = freshName('proc');
      const prefix = `{${queue}}`;
      const w = await startWorkerProcess({
        model,
        redis: cluster.url,
        cluster: true,
        queue,
        prefix,
        statePrefix: `${queue}:state`,
      });
      const client = new LeadScoringClient({ redisUrl: cluster.url, cluster: true, queue, prefix, timeoutMs: 30_000 });
      try {
        const one = await client.score({ leadId: 'p1', attributes: { industry: 'software' } });
        expect(one.leadId).toBe('p1');
        const ids = Array.from({ length: 200 }, (_, i) => `p${i + 2}`);
        const many = await client.scoreBatch(
          ids.map((leadId) => ({ leadId, attributes: { employees: 10 } })),
          { store: true },
        );
        expect(many.map((r) => r.leadId)).toEqual(ids);
        expect((await keysPerMaster(`${queue}:state`)).every((n) => n > 0)).toBe(true);
        const health = (await (await fetch(`http://127.0.0.1:${w.metricsPort}/health`)).json()) as { ok: boolean };
        expect(health.ok).toBe(true);
        w.child.kill('SIGTERM');
        expect(await w.exited).toBe(0);
        expect(w.output()).toContain('"cluster":true');
      } finally {
        w.child.kill('SIGKILL');
        await client.close();
        const q = new Queue(queue, { connection: reader, prefix });
        await q.obliterate({ force: true });
        await q.close();
      }
      // Trains a real model and starts a worker process first: minutes on a loaded 2-core machine.
    }, 180_000);

    it('refuses a prefix without a hash tag with one line naming the flag', async () => {
      const started = startWorkerProcess({
        model: '/nonexistent',
        redis: cluster.url,
        cluster: true,
        queue: freshName(),
      });
      await expect(started).rejects.toThrow(
        /exited \(2\)[^]*leadscore: serve: --prefix "bull": on a Redis Cluster the BullMQ prefix needs a hash tag/,
      );
    });
  });
});
