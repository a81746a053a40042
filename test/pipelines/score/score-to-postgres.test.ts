import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { literal, openDuckDb, queryRows } from '../../../pipelines/io/duckdb.ts';
import { createPostgresSchema, type PostgresSchema } from '../../helpers/local-postgres.ts';
import { repoRoot, runCliAsync } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir('leadscore-score-postgres-');
const model = path.join(tmp.dir, 'model');
const rows = 100_000;
let db: PostgresSchema;
let good = '';
let bad = '';

const cli = (args: string[]) => runCliAsync(args, { env: { LEADSCORE_QUIET: '1', PGCONNECT_TIMEOUT: '5' } });

beforeAll(async () => {
  db = await createPostgresSchema();
  const trained = await cli([
    'train',
    '--config',
    path.join(repoRoot, 'pipelines/configs/bank-marketing.yaml'),
    '--out',
    model,
  ]);
  if (trained.code !== 0) throw new Error(trained.stderr);
  // 100,000 leads: the bank rows over and over; without an id column, a lead's id is its row number.
  const [header, ...body] = readFileSync(path.join(repoRoot, 'data/bank-marketing/bank-additional-full.csv'), 'utf8')
    .trimEnd()
    .split(/\r?\n/);
  const lines = Array.from({ length: rows }, (_, i) => body[i % body.length]!);
  good = tmp.write('leads.csv', [header, ...lines].join('\n') + '\n');
  // Row 95,000's age is no number: with chunks of 10,000 the run stops in its tenth chunk.
  lines[94_999] = lines[94_999]!.replace(/^\d+;/, 'old;');
  bad = tmp.write('leads-bad.csv', [header, ...lines].join('\n') + '\n');
}, 300_000);
afterAll(async () => {
  await db?.dispose();
});

const count = async (table: string) =>
  Number((await db.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

describe('score --to-postgres', () => {
  it('stops at a bad row with the batches before it committed, saying how far it got; a rerun finishes', async () => {
    const table = `${db.schema}.scores`;
    const base = ['score', '--model', model, '--to-postgres', db.url, '--table', table, '--chunk', '10000'];
    const stopped = await cli([...base, '--input', bad]);
    expect(stopped.code, stopped.stderr).toBe(2);
    expect(stopped.stderr.trim().split('\n')).toHaveLength(1);
    expect(stopped.stderr).toMatch(/row 95000: column "age"/);
    expect(stopped.stderr).toMatch(/90000 leads were written to "leadscore_test_\w+"\."scores" before it stopped/);
    expect(await count(table)).toBe(90_000);

    const rerun = await cli([...base, '--input', good, '--output', path.join(tmp.dir, 'scores.csv')]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`upserted ${rows} leads into ${table}`);
    expect(await count(table)).toBe(rows);

    // The table holds what the file holds, lead for lead.
    const conn = await openDuckDb();
    const file = await queryRows(
      conn,
      `SELECT * FROM read_csv(${literal(path.join(tmp.dir, 'scores.csv'))}, all_varchar = true) ORDER BY lead_id::INT`,
    );
    conn.closeSync();
    const { rows: stored } = await db.client.query<Record<string, unknown>>(
      `SELECT lead_id, probability, score, tier, rule_score, rule_tier, reasons, model_version, scored_at FROM ${table} ORDER BY lead_id::int`,
    );
    const version = path.basename(
      JSON.parse(readFileSync(path.join(model, 'manifest.json'), 'utf8')).version as string,
    );
    expect(stored).toHaveLength(rows);
    for (const i of [0, 1, 41_187, 41_188, 94_999, 99_999]) {
      const f = file[i]!;
      const s = stored[i]!;
      expect(s.lead_id).toBe(f.lead_id);
      expect(s.probability).toBe(Number(f.probability));
      expect(s.score).toBe(Number(f.score));
      expect(s.tier).toBe(f.tier);
      expect(s.rule_score).toBe(f.rule_score === null ? null : Number(f.rule_score));
      expect(s.rule_tier).toBe(f.rule_tier);
      expect(s.reasons).toEqual([f.reason_1, f.reason_2, f.reason_3].filter((r) => r !== null));
      expect(s.model_version).toBe(version);
      expect(s.scored_at).toBeInstanceOf(Date);
    }
  }, 300_000);

  const faults: [string, () => string[], RegExp][] = [
    [
      'unreachable server',
      () => ['--to-postgres', 'postgres://postgres@127.0.0.1:1/test', '--table', `${db.schema}.never`],
      /--to-postgres: cannot reach PostgreSQL at postgres@127\.0\.0\.1:1\/test/,
    ],
    [
      'wrong credentials',
      () => ['--to-postgres', db.url.replace(/\/\/[^@]*@/, '//no_such_user_y@'), '--table', `${db.schema}.never`],
      /--to-postgres: PostgreSQL at no_such_user_y@.* refused the login/,
    ],
    [
      'a table name of three parts',
      () => ['--to-postgres', db.url, '--table', `a.${db.schema}.never`],
      /--table: "a\.leadscore_test_\w+\.never" is not a table name/,
    ],
    [
      'a missing schema',
      () => ['--to-postgres', db.url, '--table', 'no_such_schema_z.never'],
      /--table no_such_schema_z\.never: schema "no_such_schema_z" does not exist/,
    ],
    [
      'a table of other columns',
      () => ['--to-postgres', db.url, '--table', `${db.schema}.other`],
      /--table leadscore_test_\w+\.other: the table exists without columns probability, score, tier, rule_score, rule_tier, reasons, model_version, scored_at/,
    ],
    ['--to-postgres without --table', () => ['--to-postgres', db.url], /--to-postgres and --table go together/],
  ];
  for (const [name, args, message] of faults) {
    it(`refuses ${name} with one line and exit code 2, writing nothing`, async () => {
      await db.client.query(`CREATE TABLE IF NOT EXISTS ${db.schema}.other (lead_id text)`);
      const output = path.join(tmp.dir, `out-${name.replaceAll(' ', '-')}.csv`);
      const r = await cli(['score', '--model', model, '--input', good, '--output', output, ...args()]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(output)).toBe(false);
      const { rows: tables } = await db.client.query(
        `SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'never'`,
        [db.schema],
      );
      expect(tables).toHaveLength(0);
      expect(await count(`${db.schema}.other`)).toBe(0);
    }, 120_000);
  }
});
