import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { loadLeadModel } from '../../serving/lead-model-loader.ts';
import { ScoringWorker } from '../../serving/scoring-worker.ts';
import { createLogger } from '../../serving/logger.ts';
import { ScoreTableFeed } from '../../serving/score-table-feed.ts';
import { startWorker } from '../../serving/start-worker.ts';
import { createPostgresSchema, type PostgresSchema } from '../helpers/local-postgres.ts';
import { privateRedis } from './redis-server.ts';
import { DAY, funnelLead, realArtifact } from './real-artifact.ts';
import { startHarness } from './worker-harness.ts';

let db: PostgresSchema;
let artifact: string;

beforeAll(async () => {
  db = await createPostgresSchema();
  artifact = await realArtifact();
}, 300_000);
afterAll(async () => {
  await db?.dispose();
});

describe('the worker writing scores to PostgreSQL (serve --to-postgres)', () => {
  it('writes every scored lead of score, score-batch and event jobs, upserted by lead id', async () => {
    const table = `${db.schema}.live_scores`;
    const h = await startHarness((await privateRedis()).url, {
      loader: loadLeadModel,
      model: artifact,
      scoreTable: { url: db.url, table, flushMs: 20 },
    });
    const now = Date.now();
    let single;
    let batch;
    let tracked;
    try {
      single = await h.client.score({ leadId: 'w1', attributes: funnelLead(now, 0) });
      // Big batches fill whole writes; the rest waits for the timer, or for the close.
      const big = await Promise.all(
        [1, 2, 3].map((k) =>
          h.client.scoreBatch(
            Array.from({ length: 1500 }, (_, i) => ({ leadId: `big${k}-${i}`, attributes: funnelLead(now, i) })),
          ),
        ),
      );
      expect(big.flat()).toHaveLength(4500);
      batch = await h.client.scoreBatch(
        Array.from({ length: 250 }, (_, i) => ({ leadId: `b${i}`, attributes: funnelLead(now, i) })),
      );
      tracked = await h.client.track({ leadId: 'w1', type: 'pricing_view', at: now - DAY, eventId: 'e1' });
    } finally {
      // Closing writes what is pending.
      await h.close();
    }
    // No write failed, and none started after the close let go of the connection.
    expect(h.logs.filter((l) => l.includes('PostgreSQL'))).toEqual([]);
    const { rows } = await db.client.query<Record<string, unknown>>(
      `SELECT lead_id, probability, score, tier, rule_score, rule_tier, reasons, model_version, scored_at FROM ${table} ORDER BY lead_id`,
    );
    expect(rows).toHaveLength(4751);
    // w1 was scored, then rescored on its event: the row holds the last score.
    const w1 = rows.find((r) => r.lead_id === 'w1')!;
    expect(w1.probability).toBe(tracked.result.probability);
    expect(w1.probability).not.toBe(single.probability);
    expect(w1.tier).toBe(tracked.result.tier);
    expect(w1.rule_score).toBe(tracked.result.ruleScore);
    expect(w1.model_version).toBe(tracked.result.modelVersion);
    expect((w1.scored_at as Date).getTime()).toBe(tracked.result.scoredAt);
    const b7 = rows.find((r) => r.lead_id === 'b7')!;
    expect(b7.probability).toBe(batch[7]!.probability);
    expect(b7.score).toBe(batch[7]!.score);
    expect(b7.rule_tier).toBe(batch[7]!.ruleTier);
    expect(b7.reasons).toEqual(
      batch[7]!.reasons.map((r) => `${r.text} (${r.contribution >= 0 ? '+' : ''}${r.contribution.toFixed(2)})`),
    );
  }, 120_000);

  it('refuses to start when PostgreSQL cannot be reached, naming the flag', async () => {
    const worker = new ScoringWorker({
      loader: loadLeadModel,
      model: artifact,
      redisUrl: (await privateRedis()).url,
      queue: `q-${Date.now()}`,
      scoreTable: { url: 'postgres://postgres@127.0.0.1:1/test', table: 'never' },
    });
    const started = worker.start();
    await expect(started).rejects.toThrow(InputError);
    await expect(started).rejects.toThrow(/serve: --to-postgres: cannot reach PostgreSQL at postgres@127\.0\.0\.1:1/);
    await worker.close();
  }, 60_000);

  it('takes --to-postgres and --table together only', async () => {
    await expect(startWorker({ model: artifact, toPostgres: db.url, metricsPort: 0 })).rejects.toThrow(
      /^serve: --to-postgres: --to-postgres and --table go together/,
    );
  });

  it('writes, on close, the leads that came while a write was in flight, and nothing after', async () => {
    const logs: string[] = [];
    const log = createLogger({ destination: { write: (l: string) => void logs.push(l) } });
    const feed = await ScoreTableFeed.open({ url: db.url, table: `${db.schema}.closing`, flushMs: 5 }, log);
    const batch = (from: number, n: number) => ({
      modelVersion: 'v1',
      scoredAt: Date.now(),
      results: Array.from({ length: n }, (_, i) => ({
        leadId: `c${from + i}`,
        probability: 0.5,
        score: 50,
        tier: 'warm',
        ruleScore: null,
        ruleTier: null,
        reasons: [{ text: 'Industry: software', contribution: 0.41 }],
        asOf: Date.now(),
      })),
    });
    feed.take(batch(0, 1500)); // a full write starts
    feed.take(batch(1500, 1200)); // waits for it: more than a write's worth
    await feed.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(logs.filter((l) => l.includes('PostgreSQL'))).toEqual([]);
    expect(feed.written).toBe(2700);
    const { rows } = await db.client.query(
      `SELECT count(*)::int AS n, min(reasons::text) AS r FROM ${db.schema}.closing`,
    );
    expect(rows[0]).toEqual({ n: 2700, r: '["Industry: software (+0.41)"]' });
  });
});
