import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { OnlineState } from '../../serving/online-state.ts';
import { createRedisConnection } from '../../serving/redis-connection.ts';
import { freshName, privateRedis } from './redis-server.ts';

let conn: Redis;
let state: OnlineState;

beforeAll(async () => {
  conn = createRedisConnection((await privateRedis()).url, 'worker', { enableAutoPipelining: true });
  state = new OnlineState(conn, { keyPrefix: freshName('state'), ttlSeconds: 1000, maxEvents: 5, maxSeenIds: 8 });
});
afterAll(() => conn?.quit());

const ev = (leadId: string, n: number) => ({ leadId, type: 'visit', at: 1000 + n, eventId: `e${n}` });

describe('online state', () => {
  it('keys every part of a lead under one Cluster hash tag', () => {
    const keys = state.keys('lead:1');
    expect(keys.every((k) => k.includes('{lead:1}'))).toBe(true);
    expect(new Set(keys).size).toBe(4);
  });

  it('loses no event when many arrive at once for one lead, and counts each id once', async () => {
    const replies = await Promise.all([0, 1, 2, 3, 1, 2, 0].map((n) => state.recordEvent(ev('c', n))));
    expect(replies.map((r) => r.duplicate).filter(Boolean)).toHaveLength(3);
    const s = await state.read('c');
    expect(s.events.map((e) => e.eventId).sort()).toEqual(['e0', 'e1', 'e2', 'e3']);
  });

  it('keeps the newest maxEvents events and still refuses a trimmed event id', async () => {
    for (let n = 0; n < 7; n++) await state.recordEvent(ev('t', n));
    const s = await state.read('t');
    expect(s.events.map((e) => e.eventId)).toEqual(['e2', 'e3', 'e4', 'e5', 'e6']);
    expect((await state.recordEvent(ev('t', 0))).duplicate).toBe(true);
    expect((await state.read('t')).events).toHaveLength(5);
  });

  it('stores attributes and sets a TTL on every key', async () => {
    await state.recordEvent(ev('a', 1), { email: 'x@example.com' });
    const s = await state.storeLead('a', { email: 'y@example.com', age: 3 }, true);
    expect(s.events).toHaveLength(1);
    expect((await state.read('a')).attributes).toEqual({ email: 'y@example.com', age: 3 });
    await state.commitTier('a', 'B', 50, 'j1');
    for (const key of state.keys('a')) {
      const ttl = await conn.ttl(key);
      expect(ttl).toBeGreaterThan(990);
      expect(ttl).toBeLessThanOrEqual(1000);
    }
  });

  it('reports a tier change once, and again only to a re-run of the job that made it', async () => {
    expect(await state.commitTier('k', 'B', 50, 'j1')).toEqual({ changed: true, oldTier: null, oldScore: null });
    expect(await state.commitTier('k', 'B', 55, 'j2')).toEqual({ changed: false, oldTier: 'B', oldScore: 50 });
    expect(await state.commitTier('k', 'A', 90, 'j3')).toEqual({ changed: true, oldTier: 'B', oldScore: 55 });
    // j3 ran again after a crash: it is told of its change again, to announce it
    expect(await state.commitTier('k', 'A', 90, 'j3')).toEqual({ changed: true, oldTier: 'B', oldScore: 55 });
    expect(await state.commitTier('k', 'A', 91, 'j4')).toEqual({ changed: false, oldTier: 'A', oldScore: 90 });
  });

  it('refreshes the score only while the tier is unchanged', async () => {
    await state.commitTier('r', 'B', 50, 'j1');
    await state.refreshScore('r', 'B', 60);
    expect((await state.read('r')).score).toBe(60);
    await state.commitTier('r', 'A', 90, 'j2');
    await state.refreshScore('r', 'B', 61); // a stale scoring: must not undo the change
    const s = await state.read('r');
    expect(s.tier).toBe('A');
    expect(s.score).toBe(90);
    expect(s.changedBy).toBe('j2');
  });

  it('stores a scored lead and commits its tier in one step, or hands back the events it was scored without', async () => {
    const attrs = { email: 'z@example.com' };
    expect(await state.storeScored('s', attrs, true, 'B', 50, 'j1-0')).toEqual({
      commit: { changed: true, oldTier: null, oldScore: null },
    });
    expect(await state.storeScored('s', attrs, true, 'B', 52, 'j2-0')).toEqual({
      commit: { changed: false, oldTier: 'B', oldScore: 50 },
    });
    expect(await state.storeScored('s', attrs, true, 'A', 90, 'j3-0')).toEqual({
      commit: { changed: true, oldTier: 'B', oldScore: 52 },
    });
    // a re-run of the job that made the change is told of it again, to announce it
    expect(await state.storeScored('s', attrs, true, 'A', 90, 'j3-0')).toEqual({
      commit: { changed: true, oldTier: 'B', oldScore: 52 },
    });
    const s1 = await state.read('s');
    expect([s1.attributes, s1.tier, s1.score, s1.changedBy]).toEqual([attrs, 'A', 90, 'j3-0']);
    for (const key of [state.keys('s')[2], state.keys('s')[3]]) expect(await conn.ttl(key!)).toBeGreaterThan(990);

    // With stored events, a scoring that assumed none is not committed: the state comes back.
    await state.recordEvent(ev('s', 1));
    const back = await state.storeScored('s', { email: 'w@example.com' }, true, 'C', 10, 'j4-0');
    expect('rescore' in back && back.rescore.events.map((e) => e.eventId)).toEqual(['e1']);
    expect('rescore' in back && [back.rescore.tier, back.rescore.score, back.rescore.changedBy]).toEqual([
      'A',
      90,
      'j3-0',
    ]);
    const s2 = await state.read('s');
    expect([s2.attributes, s2.tier]).toEqual([{ email: 'w@example.com' }, 'A']);
    // A scoring that used its own events commits whatever is stored.
    expect(await state.storeScored('s', attrs, false, 'C', 10, 'j5-0')).toEqual({
      commit: { changed: true, oldTier: 'A', oldScore: 90 },
    });
    // Either way every key of the lead, its events and seen ids too, lives on for the TTL.
    for (const check of [true, false]) {
      for (const key of state.keys('s')) await conn.expire(key, 5);
      await state.storeScored('s', attrs, check, 'C', 11, `j6-${check}`);
      for (const key of state.keys('s')) expect(await conn.ttl(key)).toBeGreaterThan(990);
    }
  });
});
