/**
 * PostgreSQL benchmark: leads read from a table into the training set, against the way
 * without this feature (`psql \copy` to a CSV file, then the file path), in the same run;
 * and scores written back, in rows per second.
 *
 * A table of `--leads` generated leads (1,000,000) is loaded into a fresh schema of the
 * database at `--url` (dropped at the end). Each way is timed `--rounds` times (3),
 * alternating, from nothing to the typed frame `train` starts from (prepareData): the medians
 * and their ratio are printed. Then `--write-rows` scores (200,000) are upserted with the
 * writer `score --to-postgres` and the worker use, into a new table (inserts) and again over
 * it (updates). Prints one JSON line last.
 *
 * Run: npm run bench:postgres [-- --leads 1000000] [--rounds 3] [--write-rows 200000] [--url postgres://postgres@127.0.0.1:5432/test]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDatasetConfig } from '../config/load-config.ts';
import { literal, openDuckDb } from '../io/duckdb.ts';
import { prepareData } from '../train/prepare-data.ts';
import { PostgresScoreWriter, type ScoreRows } from '../../serving/postgres.ts';
import { createPostgresSchema, TEST_POSTGRES_URL } from '../../test/helpers/local-postgres.ts';
import { benchArg } from './bench-args.ts';

const arg = (name: string, fallback: string): string => benchArg(name) ?? fallback;
const leads = Number(arg('leads', '1000000'));
const rounds = Number(arg('rounds', '3'));
const writeRows = Number(arg('write-rows', '200000'));
const url = arg('url', TEST_POSTGRES_URL);

const dir = mkdtempSync(path.join(os.tmpdir(), 'leadscore-bench-postgres-'));
const db = await createPostgresSchema(url);
try {
  const parquet = path.join(dir, 'leads.parquet');
  await generateLeads(parquet, leads);
  await db.loadFile(parquet, 'leads');
  await db.client.query(`ANALYZE ${db.schema}.leads`);

  const config = (name: string, leadsSection: string) =>
    writeFileSync(
      path.join(dir, name),
      `name: bench-postgres
leads: ${leadsSection}
idColumn: lead_id
label: { column: converted, positive: ['yes'] }
columns:
  created_at: timestamp
  employees: { type: numeric, transform: log }
  industry: categorical
  country: categorical
  source: categorical
`,
    );
  config('from-postgres.yaml', `{ postgres: { url: '${url}', table: ${db.schema}.leads } }`);
  const csv = path.join(dir, 'leads.csv');
  config('from-csv.yaml', `{ path: ${csv} }`);

  const viaPostgres = async () => {
    const data = await prepareData(await loadDatasetConfig(path.join(dir, 'from-postgres.yaml')));
    return data.frame.rowCount;
  };
  const viaPsql = async () => {
    execFileSync('psql', [url, '-q', '-c', `\\copy ${db.schema}.leads TO '${csv}' WITH (FORMAT csv, HEADER)`]);
    const data = await prepareData(await loadDatasetConfig(path.join(dir, 'from-csv.yaml')));
    rmSync(csv);
    return data.frame.rowCount;
  };
  const pgSeconds: number[] = [];
  const psqlSeconds: number[] = [];
  for (let r = 0; r < rounds; r++) {
    pgSeconds.push(await timed(viaPostgres));
    psqlSeconds.push(await timed(viaPsql));
    process.stderr.write(`round ${r + 1}: postgres source ${pgSeconds[r]} s, psql \\copy + CSV ${psqlSeconds[r]} s\n`);
  }

  const rows = scoreRows(writeRows);
  const writer = await PostgresScoreWriter.open(url, `${db.schema}.scores`);
  const insertSeconds = await timed(() => writer.write(rows));
  const updateSeconds = await timed(() => writer.write(rows));
  await writer.close();

  const pg = median(pgSeconds);
  const psql = median(psqlSeconds);
  const result = {
    leads,
    rounds,
    postgresSourceSeconds: pg,
    psqlCopyPlusCsvSeconds: psql,
    ratio: round(pg / psql, 3),
    roundSeconds: { postgres: pgSeconds, psql: psqlSeconds },
    writeRows,
    writeInsertRowsPerSecond: Math.round(writeRows / insertSeconds),
    writeUpsertRowsPerSecond: Math.round(writeRows / updateSeconds),
    loadAverage: round(os.loadavg()[0]!, 1),
  };
  process.stdout.write(
    `${leads} leads into the training set: ${pg} s from the postgres source, ${psql} s by psql \\copy to CSV and the file (${result.ratio}x)\n` +
      `write-back: ${result.writeInsertRowsPerSecond} rows/s inserted, ${result.writeUpsertRowsPerSecond} rows/s upserted over existing rows\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await db.dispose();
  rmSync(dir, { recursive: true, force: true });
}

/** Generated leads: an id, a creation time, three categories, a size, an email and a yes/no label. */
async function generateLeads(file: string, n: number): Promise<void> {
  const conn = await openDuckDb();
  try {
    await conn.run(`COPY (
      SELECT 'L' || lpad(i::VARCHAR, 8, '0') AS lead_id,
        TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_minutes(i % 500000) AS created_at,
        ['software', 'finance', 'retail', 'health', 'education'][(1 + hash(i) % 5)::INTEGER] AS industry,
        ['US', 'DE', 'FR', 'BR', 'IN', 'GB'][(1 + hash(i + 1) % 6)::INTEGER] AS country,
        ['ads', 'organic', 'referral', 'event'][(1 + hash(i + 2) % 4)::INTEGER] AS source,
        (10 + hash(i + 3) % 5000)::INTEGER AS employees,
        'user' || i || '@example.com' AS email,
        CASE WHEN hash(i + 4) % 10 = 0 THEN 'yes' ELSE 'no' END AS converted
      FROM range(${n}) t(i)) TO ${literal(file)} (FORMAT parquet)`);
  } finally {
    conn.closeSync();
  }
}

/** Scores of `n` leads, as a run writes them. */
function scoreRows(n: number): ScoreRows {
  const at = Date.now();
  return {
    leadId: Array.from({ length: n }, (_, i) => `L${String(i).padStart(8, '0')}`),
    probability: Array.from({ length: n }, (_, i) => (i % 1000) / 1000),
    score: Array.from({ length: n }, (_, i) => Math.round((i % 1000) / 10)),
    tier: Array.from({ length: n }, (_, i) => ['hot', 'warm', 'cold'][i % 3]!),
    ruleScore: Array.from({ length: n }, (_, i) => i % 50),
    ruleTier: Array.from({ length: n }, (_, i) => ['A', 'B', 'C'][i % 3]!),
    reasons: Array.from({ length: n }, () =>
      JSON.stringify(['Industry: software (+0.41)', 'Source: referral (+0.22)']),
    ),
    modelVersion: Array.from({ length: n }, () => 'bench-20260101T000000Z'),
    scoredAt: Array.from({ length: n }, () => at),
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return round((performance.now() - t) / 1000, 2);
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
