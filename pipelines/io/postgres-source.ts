import { createWriteStream, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pgCopy from 'pg-copy-streams';
import { InputError } from '../../features/errors.ts';
import type { PostgresSource } from '../../features/feature-config.ts';
import type { ColumnType } from '../../features/frame.ts';
import { connectPostgres, postgresError, qualifiedTableName, quotePostgresIdent } from '../../serving/postgres.ts';
import { ident, literal, openDuckDb } from './duckdb.ts';
import { runTempPath } from './run-temp-dir.ts';

/** What a PostgreSQL column is read as: its DuckDB type and the kind of values it holds. */
interface ColumnRead {
  name: string;
  pgType: string;
  duckType: string;
  kind: 'number' | 'boolean' | 'time' | 'text' | 'other';
}

/** Kinds of values a column the config names may hold, keyed by column name. */
export type ExpectedKinds = ReadonlyMap<string, { kinds: readonly ColumnRead['kind'][]; key: string }>;

interface Registered {
  source: PostgresSource;
  /** `leads`, `events` or `outcomes`: the config section, for messages. */
  role: string;
  expected: ExpectedKinds;
  /** Columns read whole-table that must be of a supported type (the leads' feature columns); others are read as text. */
  strict: (column: string) => boolean;
  /** Kept as PostgreSQL writes it (CSV with a header), for a reader that reads text and takes the types from postgresColumnTypes. */
  asText: boolean;
  ready?: Promise<ColumnRead[]>;
}

const registered = new Map<string, Registered>();

/**
 * Registers a PostgreSQL source and returns the path of the file its rows will be copied to,
 * in the run's temporary folder: Parquet typed as PostgreSQL declares, or with `asText` the
 * CSV PostgreSQL writes (comma-separated, with a header), for the leads, which are read as
 * text and typed by postgresColumnTypes. Nothing is read until `preparePostgresSource` is
 * called with that path (the readers do it), so a command that never reads the section never
 * connects.
 */
export function registerPostgresSource(
  source: PostgresSource,
  role: string,
  options: { expected?: ExpectedKinds; strict?: (column: string) => boolean; asText?: boolean } = {},
): string {
  const asText = options.asText ?? false;
  const file = runTempPath(`postgres-${role}.${asText ? 'csv' : 'parquet'}`);
  registered.set(file, {
    source,
    role,
    expected: options.expected ?? new Map(),
    strict: options.strict ?? (() => false),
    asText,
  });
  return file;
}

/** Copies a registered source's rows into its file, once; a no-op for any other path. */
export async function preparePostgresSource(file: string): Promise<void> {
  const entry = registered.get(file);
  if (!entry) return;
  entry.ready ??= copySource(entry, file);
  await entry.ready;
}

/**
 * The column types PostgreSQL gives a prepared source's columns, as leads columns: numbers
 * numeric, booleans boolean, dates and times timestamp. Text is left out (inferred from
 * the values, as in a file). Undefined for a path that is not a PostgreSQL source.
 */
export async function postgresColumnTypes(file: string): Promise<Map<string, ColumnType> | undefined> {
  const entry = registered.get(file);
  if (!entry?.ready) return undefined;
  const byKind: Partial<Record<ColumnRead['kind'], ColumnType>> = {
    number: 'numeric',
    boolean: 'boolean',
    time: 'timestamp',
  };
  const types = new Map<string, ColumnType>();
  for (const c of await entry.ready) if (byKind[c.kind]) types.set(c.name, byKind[c.kind]!);
  return types;
}

/** `postgres table "crm"."leads" (leads.postgres)`: how messages name a source. */
export function describePostgresSource(source: PostgresSource, role: string): string {
  const what =
    source.table !== undefined ? `table ${qualifiedTableName(source.table, `${role}.postgres.table`).sql}` : 'query';
  return `postgres ${what} (${role}.postgres)`;
}

const queryPrefix = 'SELECT * FROM (';

/** The SELECT a source reads: the whole table, or the user's query as a subquery (one statement, nothing after it). */
function selectSql(source: PostgresSource, role: string): string {
  if (source.table !== undefined)
    return `SELECT * FROM ${qualifiedTableName(source.table, `${role}.postgres.table`).sql}`;
  const query = source.query!.trim().replace(/;\s*$/, '');
  return `${queryPrefix}${query}\n) AS leadscore_source`;
}

/**
 * Streams the source's rows with COPY ... TO STDOUT (CSV) into a file of the run, inside a
 * read-only transaction, then (unless `asText`) has DuckDB turn it into Parquet with the
 * column types PostgreSQL declares: every reader downstream sees a typed file, as from a
 * Parquet export.
 */
async function copySource(entry: Registered, file: string): Promise<ColumnRead[]> {
  const { source, role } = entry;
  const where = describePostgresSource(source, role);
  const sql = selectSql(source, role);
  const csv = entry.asText ? file : runTempPath(`postgres-${role}.csv`);
  const client = await connectPostgres(source.url, `${role}.postgres.url`);
  let columns: ColumnRead[];
  try {
    await client.query('BEGIN TRANSACTION READ ONLY');
    // Times in UTC and ISO form, floats in their shortest exact form, whatever the server's defaults.
    await client.query(`SET LOCAL TimeZone = 'UTC'`);
    await client.query(`SET LOCAL DateStyle = 'ISO, YMD'`);
    await client.query(`SET LOCAL extra_float_digits = 1`);
    const described = await client.query({ text: `${sql} LIMIT 0` });
    columns = await readColumns(client, described.fields, where);
    checkColumns(entry, columns, where);
    const copy = client.query(
      pgCopy.to(
        entry.asText
          ? `COPY (${textSelect(sql, columns)}) TO STDOUT (FORMAT csv, HEADER true)`
          : `COPY (${sql}) TO STDOUT (FORMAT csv)`,
      ),
    );
    await pipeline(copy, createWriteStream(csv));
    await client.query('COMMIT');
  } catch (err) {
    rmSync(csv, { force: true });
    // Positions in a syntax error count from the start of the user's query, not of the SELECT around it.
    const e = err as { position?: string };
    if (source.query !== undefined && e.position) e.position = String(Number(e.position) - queryPrefix.length);
    throw postgresError(err, where, source.url);
  } finally {
    await client.end().catch(() => {});
  }
  if (!entry.asText) await csvToParquet(csv, file, columns, where);
  return columns;
}

/** PostgreSQL's name and category of each result column, and how DuckDB reads it. */
async function readColumns(
  client: Awaited<ReturnType<typeof connectPostgres>>,
  fields: readonly { name: string; dataTypeID: number }[],
  where: string,
): Promise<ColumnRead[]> {
  if (fields.length === 0) throw new InputError(`${where}: no columns`);
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) throw new InputError(`${where}: two columns are named "${f.name}"; name them apart (AS)`);
    seen.add(f.name);
  }
  const oids = [...new Set(fields.map((f) => f.dataTypeID))];
  const { rows } = await client.query<{ oid: number; typname: string; typcategory: string }>(
    'SELECT oid::int AS oid, typname::text AS typname, typcategory::text AS typcategory FROM pg_type WHERE oid = ANY($1::oid[])',
    [oids],
  );
  const byOid = new Map(rows.map((r) => [Number(r.oid), r]));
  return fields.map((f) => {
    const t = byOid.get(f.dataTypeID);
    return { name: f.name, pgType: t?.typname ?? String(f.dataTypeID), ...duckTypeOf(t?.typname, t?.typcategory) };
  });
}

/** The rows as text a file would hold: booleans spelled true and false (PostgreSQL's CSV writes t and f, which a label's values would not match). */
function textSelect(sql: string, columns: readonly ColumnRead[]): string {
  const list = columns.map((c) => {
    const q = quotePostgresIdent(c.name);
    return c.kind === 'boolean' ? `CASE WHEN ${q} THEN 'true' WHEN NOT ${q} THEN 'false' END AS ${q}` : q;
  });
  return `SELECT ${list.join(', ')} FROM (${sql}) AS leadscore_rows`;
}

const numberTypes: Record<string, string> = {
  int2: 'SMALLINT',
  int4: 'INTEGER',
  int8: 'BIGINT',
  float4: 'FLOAT',
  float8: 'DOUBLE',
  // numeric has no fixed width: DOUBLE holds every value a feature needs.
  numeric: 'DOUBLE',
  oid: 'BIGINT',
};
const timeTypes: Record<string, string> = { date: 'DATE', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ' };

function duckTypeOf(typname = '', category = ''): Pick<ColumnRead, 'duckType' | 'kind'> {
  if (numberTypes[typname]) return { duckType: numberTypes[typname], kind: 'number' };
  if (timeTypes[typname]) return { duckType: timeTypes[typname], kind: 'time' };
  if (typname === 'bool') return { duckType: 'BOOLEAN', kind: 'boolean' };
  // Strings, enums, json, uuid: text. The rest (arrays, bytea, intervals, geometry...) too, but a
  // column that is used must be of a kind above (see checkColumns).
  const text = category === 'S' || category === 'E' || ['json', 'jsonb', 'uuid', 'xml'].includes(typname);
  return { duckType: 'VARCHAR', kind: text ? 'text' : 'other' };
}

/** Refuses a named column that is absent or of the wrong kind, and a used column of a type leadscore does not read. */
function checkColumns(entry: Registered, columns: readonly ColumnRead[], where: string): void {
  const byName = new Map(columns.map((c) => [c.name, c]));
  for (const [name, { kinds, key }] of entry.expected) {
    const c = byName.get(name);
    if (!c) continue; // the readers name missing columns, with the columns there are
    if (!kinds.includes(c.kind))
      throw new InputError(
        `${where}: column "${name}" is ${c.pgType} in PostgreSQL, which does not fit ${key}; cast it in a query`,
      );
  }
  for (const c of columns)
    if (c.kind === 'other' && entry.strict(c.name))
      throw new InputError(
        `${where}: column "${c.name}" is ${c.pgType}, which leadscore does not read; exclude it or cast it in a query`,
      );
}

/** The CSV PostgreSQL wrote (no header; NULL is an empty unquoted field) as Parquet with the columns' types. */
async function csvToParquet(csv: string, file: string, columns: readonly ColumnRead[], where: string): Promise<void> {
  const conn = await openDuckDb();
  try {
    const types = columns.map((c) => `${literal(c.name)}: ${literal(c.duckType)}`).join(', ');
    const names = columns.map((c) => ident(c.name)).join(', ');
    await conn.run(`SET TimeZone = 'UTC'`);
    await conn.run(`COPY (SELECT ${names} FROM read_csv(${literal(csv)}, header = false, delim = ',', quote = '"',
      escape = '"', allow_quoted_nulls = false, auto_detect = false, columns = {${types}}))
      TO ${literal(file)} (FORMAT parquet)`);
  } catch (err) {
    throw new InputError(`${where}: cannot read the rows: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    conn.closeSync();
    rmSync(csv, { force: true });
  }
}
