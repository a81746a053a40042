import { existsSync, readFileSync } from 'node:fs';
import { numberValues } from '../../../features/frame.ts';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetConfig } from '../../../pipelines/config/load-config.ts';
import { loadLeads } from '../../../pipelines/io/load-leads.ts';
import { prepareData } from '../../../pipelines/train/prepare-data.ts';
import { runTrain } from '../../../pipelines/train/run-train.ts';
import { createPostgresSchema, type PostgresSchema } from '../../helpers/local-postgres.ts';
import { repoRoot, runCliAsync } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { syntheticFunnel } from '../lifecycle/synthetic-funnel.ts';

const tmp = tempDir('leadscore-postgres-source-');
const configs = path.join(repoRoot, 'pipelines/configs');
const bankCsv = path.join(repoRoot, 'data/bank-marketing/bank-additional-full.csv');
let db: PostgresSchema;

beforeAll(async () => {
  db = await createPostgresSchema();
}, 120_000);
afterAll(async () => {
  await db?.dispose();
});

/** The bank-marketing config with its leads section replaced by `leads` (YAML flow text). */
function bankConfig(name: string, leads: string, extra = '', exclude = ''): string {
  const text = readFileSync(path.join(configs, 'bank-marketing.yaml'), 'utf8')
    .replace(/^leads:\n {2}path: .*$/m, `leads: ${leads}`)
    .replace(/^exclude:\n/m, `exclude:\n${exclude}`)
    .replace(/^rules: (.*)$/m, (_, rel: string) => `rules: ${path.join(configs, rel)}`);
  return tmp.write(name, text + extra);
}

const source = (what: string, url = db.url) => `{ postgres: { url: '${url}', ${what} } }`;

describe('a dataset read from PostgreSQL', () => {
  it('trains the bank model to the same metrics as from the CSV', async () => {
    // Typed as a database would hold it: numbers as numbers (the label stays text, as `positive: [yes]` reads it).
    await db.loadFile(bankCsv, 'bank', { types: { y: 'text' }, rowNumber: 'row_no' });
    const fromCsv = await loadDatasetConfig(bankConfig('bank-csv.yaml', `{ path: ${bankCsv} }`));
    // A table has no order of its own; without an id column the rows are numbered in the order read.
    const fromPg = await loadDatasetConfig(
      bankConfig(
        'bank-pg.yaml',
        source(`query: 'SELECT * FROM ${db.schema}.bank ORDER BY row_no'`),
        undefined,
        '  row_no: row order in the table\n',
      ),
    );
    const now = () => new Date('2026-01-01T00:00:00Z');
    const a = await runTrain(fromCsv, { out: path.join(tmp.dir, 'm-csv'), now });
    const b = await runTrain(fromPg, { out: path.join(tmp.dir, 'm-pg'), now });
    expect(b.model.manifest.metrics).toEqual(a.model.manifest.metrics);
    expect(b.comparison).toEqual(a.comparison);
    expect(a.comparison.model.auc).toBeGreaterThan(0.7);
    // The artifact keeps the source, never the run's temporary copy of the rows.
    const manifest = JSON.parse(readFileSync(path.join(b.dir, 'manifest.json'), 'utf8')) as {
      config: { leads: Record<string, unknown> };
    };
    expect(manifest.config.leads).toEqual({
      postgres: { url: db.url, query: expect.stringContaining('ORDER BY row_no') as string },
    });
    a.model.dispose();
    b.model.dispose();
  }, 300_000);

  it('gives the same point-in-time training set from three tables as from the Parquet files', async () => {
    const parquetConfig = syntheticFunnel(tmp.dir, 1500, 7);
    const funnel = path.join(tmp.dir, 'funnel');
    for (const t of ['leads', 'events', 'outcomes']) await db.loadFile(path.join(funnel, `${t}.parquet`), t);
    const pgConfig = tmp.write(
      'funnel-pg.yaml',
      readFileSync(parquetConfig, 'utf8')
        // The leads in id order, as the file has them (a table keeps none).
        .replace(
          /^leads:\n {2}path: .*$/m,
          `leads: ${source(`query: 'SELECT * FROM ${db.schema}.leads ORDER BY lead_id'`)}`,
        )
        .replace(/^( {2})path: .*events\.parquet$/m, `$1postgres: { url: '${db.url}', table: ${db.schema}.events }`)
        // The outcomes as a query: the user's own SELECT.
        .replace(
          /^( {2})path: .*outcomes\.parquet$/m,
          `$1postgres: { url: '${db.url}', query: 'SELECT * FROM ${db.schema}.outcomes WHERE closed_at IS NOT NULL;' }`,
        ),
    );
    const a = await prepareData(await loadDatasetConfig(parquetConfig));
    const b = await prepareData(await loadDatasetConfig(pgConfig));
    expect(b.frame.rowCount).toBeGreaterThan(1000);
    expect(b.frame.ids).toEqual(a.frame.ids);
    expect(b.frame.label).toEqual(a.frame.label);
    expect(b.asOf).toEqual(a.asOf);
    expect(b.left).toEqual(a.left);
    expect(b.frame.columns).toEqual(a.frame.columns);
  }, 300_000);
});

describe('column types from PostgreSQL', () => {
  it('types columns the config leaves out as PostgreSQL declares them, text as a file would be read', async () => {
    await db.client.query(`CREATE TABLE ${db.schema}.typed (id uuid, active boolean, signed_up timestamptz,
      revenue numeric(12, 2), visits integer, zip text, plan text, converted boolean)`);
    await db.client.query(`INSERT INTO ${db.schema}.typed VALUES
      ('6f1c0d6e-0000-4000-8000-000000000001', true, '2024-03-01 10:30:00+02', 1234.50, 3, '02139', 'pro', true),
      ('6f1c0d6e-0000-4000-8000-000000000002', false, '2024-03-02 00:00:00+00', NULL, 0, '10001', 'free', false)`);
    const config = tmp.write(
      'typed.yaml',
      `name: typed\nleads: ${source(`query: 'SELECT * FROM ${db.schema}.typed ORDER BY id'`)}\nidColumn: id\n` +
        `label: { column: converted, positive: [true] }\ncolumns: { zip: categorical }\n`,
    );
    const { frame, typeSource } = await loadLeads(await loadDatasetConfig(config));
    const byName = Object.fromEntries(frame.columns.map((c) => [c.name, c]));
    expect(frame.ids).toEqual(['6f1c0d6e-0000-4000-8000-000000000001', '6f1c0d6e-0000-4000-8000-000000000002']);
    expect(frame.label).toEqual(Uint8Array.from([1, 0]));
    expect(byName.active).toEqual({ name: 'active', type: 'boolean', values: [true, false] });
    expect(byName.signed_up).toEqual({
      name: 'signed_up',
      type: 'timestamp',
      values: numberValues([Date.parse('2024-03-01T08:30:00Z'), Date.parse('2024-03-02T00:00:00Z')]),
    });
    expect(byName.revenue).toEqual({ name: 'revenue', type: 'numeric', values: numberValues([1234.5, null]) });
    expect(byName.visits).toEqual({ name: 'visits', type: 'numeric', values: numberValues([3, 0]) });
    // A declared type wins: zip codes stay categories, leading zero and all.
    expect(byName.zip).toEqual({ name: 'zip', type: 'categorical', values: ['02139', '10001'] });
    expect(byName.plan?.type).toBe('categorical');
    expect(typeSource.zip).toBe('config');
  });
});

describe('PostgreSQL sources refuse bad input with one line and exit code 2, writing nothing', () => {
  beforeAll(async () => {
    await db.client.query(`CREATE TABLE ${db.schema}.tiny (age boolean, job text, y text)`);
    await db.client.query(`INSERT INTO ${db.schema}.tiny VALUES (true, 'a', 'yes'), (false, 'b', 'no')`);
    await db.client.query(`CREATE SEQUENCE ${db.schema}.counter`);
  });

  async function train(name: string, leads: string): Promise<{ code: number; stderr: string; out: string }> {
    const out = path.join(tmp.dir, `out-${name}`);
    const r = await runCliAsync(['train', '--config', bankConfig(`${name}.yaml`, leads), '--out', out], {
      env: { LEADSCORE_QUIET: '1', PGCONNECT_TIMEOUT: '5' },
    });
    return { ...r, out };
  }

  const cases: [string, () => string, RegExp][] = [
    [
      'unreachable',
      () => source(`table: ${db.schema}.bank`, 'postgres://postgres@127.0.0.1:1/test'),
      /leads\.postgres\.url: cannot reach PostgreSQL at postgres@127\.0\.0\.1:1\/test/,
    ],
    [
      'credentials',
      () => source(`table: ${db.schema}.bank`, db.url.replace(/\/\/[^@]*@/, '//no_such_user_x@')),
      /leads\.postgres\.url: PostgreSQL at no_such_user_x@.* refused the login: .*no_such_user_x/,
    ],
    [
      'missing-table',
      () => source(`table: ${db.schema}.nowhere`),
      /postgres table ".*"\."nowhere" \(leads\.postgres\): relation ".*nowhere" does not exist/,
    ],
    [
      'syntax',
      () => source(`query: 'SELEC * FROM ${db.schema}.tiny'`),
      /postgres query \(leads\.postgres\): syntax error at or near "FROM" \(at character 9 of the query\)/,
    ],
    [
      'column-type',
      () => source(`table: ${db.schema}.tiny`),
      /postgres table .*"tiny" \(leads\.postgres\): column "age" is bool in PostgreSQL, which does not fit columns\.age \(numeric\)/,
    ],
    [
      'read-only',
      () => source(`query: "SELECT job, y, nextval('${db.schema}.counter') AS n FROM ${db.schema}.tiny"`),
      /postgres query \(leads\.postgres\): cannot execute nextval\(\) in a read-only transaction/,
    ],
  ];
  for (const [name, leads, message] of cases) {
    it(`names the fault: ${name}`, async () => {
      const r = await train(name, leads());
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(r.out)).toBe(false);
    }, 120_000);
  }

  it('runs a query read-only: the sequence it calls never moved', async () => {
    const { rows } = await db.client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value, is_called FROM ${db.schema}.counter`,
    );
    expect(rows[0]).toEqual({ last_value: '1', is_called: false });
  });

  it('quotes table names as identifiers: a name with a quote is looked up, never run', async () => {
    const r = await train('quoted', source(`table: 'x"; DROP SCHEMA ${db.schema} CASCADE; --'`));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/relation "x"; DROP SCHEMA .* does not exist/);
    const { rows } = await db.client.query(`SELECT count(*)::int AS n FROM ${db.schema}.tiny`);
    expect(rows[0]).toEqual({ n: 2 });
  });

  it('lets --data override a PostgreSQL source with a file', async () => {
    const config = bankConfig('data-override.yaml', source(`table: ${db.schema}.nowhere`));
    const out = path.join(tmp.dir, 'out-data-override');
    const r = await runCliAsync(['train', '--config', config, '--data', bankCsv, '--out', out], {
      env: { LEADSCORE_QUIET: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(out, 'manifest.json'))).toBe(true);
  }, 180_000);
});
