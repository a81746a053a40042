import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { privateRedis } from './redis-server.ts';
import { startHarness, type Harness } from './worker-harness.ts';
import type { LocalRedis } from '../helpers/local-redis.ts';
import { stubCalls } from './stub-model.ts';

let redis: LocalRedis;
let h: Harness;
const T0 = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  redis = await privateRedis();
  h = await startHarness(redis.url);
});
afterAll(async () => {
  await h?.close();
});

describe('score jobs', () => {
  it('scores a lead with the events it carries, as of the given time', async () => {
    // two events before asOf, one after: z = 2, p = 0.8808, score 88, tier A
    const r = await h.client.score({
      leadId: 'L1',
      attributes: { x: 1, email: 'ann@example.com' },
      events: [
        { type: 'visit', at: T0 - 2000 },
        { type: 'visit', at: T0 - 1000 },
        { type: 'visit', at: T0 + 1000 },
      ],
      asOf: T0,
    });
    expect(r.leadId).toBe('L1');
    expect(r.probability).toBeCloseTo(1 / (1 + Math.exp(-2)), 10);
    expect(r.score).toBe(88);
    expect(r.tier).toBe('A');
    expect(r.modelVersion).toBe('stub-1');
    expect(r.asOf).toBe(T0);
    expect(r.ruleScore).toBeNull();
  });

  it('scores a batch in payload order', async () => {
    const leads = [0, 1, 2, 3].map((n) => ({
      leadId: `B${n}`,
      attributes: {},
      events: Array.from({ length: n }, (_, i) => ({ type: 'open', at: T0 - 1000 * (i + 1) })),
      asOf: T0,
    }));
    const results = await h.client.scoreBatch(leads);
    expect(results.map((r) => r.leadId)).toEqual(['B0', 'B1', 'B2', 'B3']);
    // z = n: scores 50, 73, 88, 95
    expect(results.map((r) => r.score)).toEqual([50, 73, 88, 95]);
    expect(results.map((r) => r.tier)).toEqual(['B', 'B', 'A', 'A']);
  });

  it('rejects a bad payload in the client before sending, naming the field', async () => {
    await expect(h.client.score({ leadId: '', attributes: {} })).rejects.toThrow(InputError);
    await expect(h.client.score({ leadId: 'x', attributes: { x: [1] as unknown as number } })).rejects.toThrow(
      /lead\.attributes\.x/,
    );
  });

  it('micro-batches concurrent jobs into fewer model calls', async () => {
    const before = stubCalls.length;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        h.client.score({ leadId: `M${i}`, attributes: {}, asOf: T0 }, { store: false }),
      ),
    );
    expect(results).toHaveLength(40);
    const calls = stubCalls.slice(before);
    expect(calls.reduce((s, c) => s + c.leads, 0)).toBe(40);
    expect(calls.length).toBeLessThan(40);
  });
});

describe('malformed payloads', () => {
  it('fails a bad job at once with the path of the bad field, without retries', async () => {
    const job = await h.queue.add(
      'score',
      { lead: { leadId: 'bad', attributes: { age: { nested: 1 } } } },
      { attempts: 5 },
    );
    await expect(job.waitUntilFinished(h.queueEvents, 10_000)).rejects.toThrow(
      /invalid payload: lead\.attributes\.age/,
    );
    const failed = await h.queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
  });

  it('fails an unknown job kind and a value the model refuses', async () => {
    const unknown = await h.queue.add('rescore', { lead: {} });
    await expect(unknown.waitUntilFinished(h.queueEvents, 10_000)).rejects.toThrow(/unknown kind "rescore"/);
    const refused = await h.queue.add('score', { lead: { leadId: 'r', attributes: { x: 'ten' } } }, { attempts: 3 });
    await expect(refused.waitUntilFinished(h.queueEvents, 10_000)).rejects.toThrow(
      /invalid payload: lead r: attribute x/,
    );
    expect((await h.queue.getJob(refused.id!))?.attemptsMade).toBe(1);
  });

  it('returns a batch with its model version and time once, which the client gives back on every lead', async () => {
    const leads = [
      { leadId: 'b1', attributes: { x: 1 }, asOf: T0 },
      { leadId: 'b2', attributes: { x: 0 }, events: [{ type: 'visit', at: T0 - 1000 }], asOf: T0 + 5 },
    ];
    const job = await h.queue.add('score-batch', { leads });
    const raw = (await job.waitUntilFinished(h.queueEvents, 10_000)) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(['modelVersion', 'results', 'scoredAt']);
    expect(raw['modelVersion']).toBe('stub-1');
    const results = raw['results'] as Record<string, unknown>[];
    expect(results.map((r) => [r['leadId'], r['asOf']])).toEqual([
      ['b1', T0],
      ['b2', T0 + 5],
    ]);
    for (const r of results) expect(r).not.toHaveProperty('modelVersion');
    const viaClient = await h.client.scoreBatch(leads);
    expect(viaClient.map((r) => [r.leadId, r.modelVersion, r.asOf, r.score])).toEqual([
      ['b1', 'stub-1', T0, results[0]!['score']],
      ['b2', 'stub-1', T0 + 5, results[1]!['score']],
    ]);
    expect(viaClient.every((r) => typeof r.scoredAt === 'number' && r.scoredAt > 0)).toBe(true);
    // Contributions come to 4 decimals.
    for (const r of viaClient)
      for (const why of r.reasons) expect(Math.round(why.contribution * 1e4) / 1e4).toBe(why.contribution);
  });

  it('takes fewer jobs at once while batch jobs carry many leads, and all of them again after', async () => {
    const window = async () => (await h.worker.metrics.fetchWindow.get()).values[0]?.value;
    expect(await window()).toBe(64);
    const leads = Array.from({ length: 1000 }, (_, i) => ({ leadId: `w${i}`, attributes: { x: 0 } }));
    const results = await Promise.all([h.client.scoreBatch(leads), h.client.scoreBatch(leads)]);
    expect(results.map((r) => r.length)).toEqual([1000, 1000]);
    // The default budget of 5000 leads in flight: five 1000-lead jobs at once.
    expect(await window()).toBe(5);
    for (let i = 0; i < 40; i++) await h.client.score({ leadId: `w${i}`, attributes: { x: 0 }, asOf: T0 });
    expect(await window()).toBe(64);
  });

  it('fails an over-long batch, naming the leads field', async () => {
    const leads = Array.from({ length: 5001 }, (_, i) => ({ leadId: `o${i}`, attributes: {} }));
    const job = await h.queue.add('score-batch', { leads });
    await expect(job.waitUntilFinished(h.queueEvents, 10_000)).rejects.toThrow(/invalid payload: leads: /);
  });
});

describe('events and online state', () => {
  it('counts an event once per event id and rescores the lead', async () => {
    await h.client.score({ leadId: 'E1', attributes: { x: 0, name: 'Ann Example' }, asOf: T0 });
    const first = await h.client.track({ leadId: 'E1', type: 'visit', at: T0, eventId: 'ev-1' });
    expect(first.duplicate).toBe(false);
    expect(first.result.score).toBe(73); // one event: sigmoid(1)
    const again = await h.client.track({ leadId: 'E1', type: 'visit', at: T0, eventId: 'ev-1' });
    expect(again.duplicate).toBe(true);
    expect(again.result.score).toBe(73);
    const state = await h.worker.state.read('E1');
    expect(state.events).toHaveLength(1);
    expect(state.attributes).toEqual({ x: 0, name: 'Ann Example' });
  });

  it('announces a tier change on the second queue, once', async () => {
    // score job: 0 events -> 50, tier B; two events -> 88, tier A
    await h.client.score({ leadId: 'E2', attributes: {} });
    const one = await h.client.track({ leadId: 'E2', type: 'visit', at: Date.now() - 5000, eventId: 'a' });
    expect(one.tierChanged).toBe(false);
    const two = await h.client.track({ leadId: 'E2', type: 'form', at: Date.now() - 4000, eventId: 'b' });
    expect(two.tierChanged).toBe(true);
    expect(two.previousTier).toBe('B');
    expect(two.result.tier).toBe('A');
    const jobs = (await h.tierQueue.getJobs(['waiting'])).filter((j) => j.data.leadId === 'E2');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({
      leadId: 'E2',
      oldTier: 'B',
      newTier: 'A',
      oldScore: 73,
      newScore: 88,
      cause: { kind: 'event' },
    });
  });

  it('scores events as of now with the stored events', async () => {
    await h.client.track(
      { leadId: 'E3', type: 'visit', at: Date.now() - 1000, eventId: 'x1' },
      { attributes: { x: 0 } },
    );
    const r = await h.client.score({ leadId: 'E3', attributes: { x: 0 } });
    expect(r.score).toBe(73);
  });

  it('never logs lead attributes', () => {
    const all = h.logs.join('\n');
    expect(all).toContain('scoring worker started');
    expect(all).not.toContain('ann@example.com');
    expect(all).not.toContain('Ann Example');
  });
});
