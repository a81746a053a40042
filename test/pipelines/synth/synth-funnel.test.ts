import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { literal, openDuckDb, queryRows } from '../../../pipelines/io/duckdb.ts';
import { Random } from '../../../pipelines/synth/random.ts';
import { writeSyntheticFunnel, type WrittenFunnel } from '../../../pipelines/synth/write-funnel.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const { dir } = tempDir('leadscore-synth-');
const at = (name: string) => literal(path.join(dir, 'a', name));

describe('Random', () => {
  it('repeats its stream for a seed and differs across seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('draws Poisson counts with the requested mean', () => {
    const r = new Random(1);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += r.poisson(3);
    expect(sum / 20_000).toBeGreaterThan(2.9);
    expect(sum / 20_000).toBeLessThan(3.1);
  });
});

describe('writeSyntheticFunnel', () => {
  let written: WrittenFunnel;
  beforeAll(async () => {
    written = await writeSyntheticFunnel({ leads: 20_000, out: path.join(dir, 'a'), seed: 9, csv: true });
    await writeSyntheticFunnel({ leads: 20_000, out: path.join(dir, 'b'), seed: 9 });
  });

  it('writes leads, events, outcomes and truth, in Parquet and CSV', () => {
    expect(written.files.map((f) => path.basename(f)).sort()).toEqual(
      ['events', 'leads', 'outcomes', 'truth'].flatMap((n) => [`${n}.csv`, `${n}.parquet`]).sort(),
    );
    expect(readFileSync(path.join(dir, 'a', 'leads.csv'), 'utf8').split('\n')[0]).toBe(
      'lead_id,created_at,industry,country,job_title,source,employees,email',
    );
    expect(written.events / written.leads).toBeGreaterThan(12);
    expect(written.won / written.leads).toBeGreaterThan(0.03);
    expect(written.won / written.leads).toBeLessThan(0.12);
  });

  it('is deterministic for a seed', () => {
    for (const name of ['leads.parquet', 'events.parquet', 'outcomes.parquet']) {
      expect(readFileSync(path.join(dir, 'b', name)).equals(readFileSync(path.join(dir, 'a', name))), name).toBe(true);
    }
  });

  it('carries the documented signal: wins follow the true propensity, pricing views and free mail', async () => {
    const conn = await openDuckDb();
    const rows = await queryRows(
      conn,
      `WITH won AS (SELECT lead_id, 1 AS won FROM read_parquet(${at('outcomes.parquet')}) WHERE status = 'won'),
            pricing AS (SELECT lead_id, count(*) AS n FROM read_parquet(${at('events.parquet')}) WHERE event_type = 'pricing_view' GROUP BY 1)
       SELECT
         avg(coalesce(won.won, 0)) FILTER (WHERE t.win_probability >= 0.2) AS high,
         avg(coalesce(won.won, 0)) FILTER (WHERE t.win_probability < 0.02) AS low,
         avg(coalesce(won.won, 0)) FILTER (WHERE coalesce(pricing.n, 0) >= 3) AS pricing_many,
         avg(coalesce(won.won, 0)) FILTER (WHERE coalesce(pricing.n, 0) = 0) AS pricing_none,
         avg(coalesce(won.won, 0)) FILTER (WHERE regexp_matches(l.email, '@(gmail|yahoo|hotmail|outlook|icloud)')) AS free,
         avg(coalesce(won.won, 0)) FILTER (WHERE NOT regexp_matches(l.email, '@(gmail|yahoo|hotmail|outlook|icloud|gmx|proton)')) AS company
       FROM read_parquet(${at('leads.parquet')}) l JOIN read_parquet(${at('truth.parquet')}) t USING (lead_id)
       LEFT JOIN won USING (lead_id) LEFT JOIN pricing USING (lead_id)`,
    );
    conn.closeSync();
    const r = rows[0] as {
      high: number;
      low: number;
      pricing_many: number;
      pricing_none: number;
      free: number;
      company: number;
    };
    expect(r.high).toBeGreaterThan(5 * r.low);
    expect(r.pricing_many).toBeGreaterThan(2 * r.pricing_none);
    expect(r.company).toBeGreaterThan(r.free);
  });
});

describe('leadscore data synth', () => {
  it('writes the files and reports counts as JSON', () => {
    const out = path.join(dir, 'cli');
    const r = runCli(['data', 'synth', '--leads', '300', '--out', out, '--seed', '4', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(report.leads).toBe(300);
    expect(report.files).toContain(path.join(out, 'events.parquet'));
  });

  it('rejects a bad option with exit code 2 naming it', () => {
    const r = runCli(['data', 'synth', '--leads', 'many', '--out', path.join(dir, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--leads/);
  });
});
