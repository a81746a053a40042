import { randomBytes } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import pgCopy from 'pg-copy-streams';
import { ident, literal, openDuckDb, queryRows } from '../../pipelines/io/duckdb.ts';
import { tableSourceSql } from '../../pipelines/io/table-source.ts';

/**
 * The machine's PostgreSQL (trust auth on 127.0.0.1, database `test`), or the one
 * $LEADSCORE_TEST_POSTGRES_URL names. `.ci/run` starts it when it is not running.
 */
export const TEST_POSTGRES_URL = process.env.LEADSCORE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of one test file's own in the test database, dropped with everything in it by `dispose`. */
export interface PostgresSchema {
  url: string;
  /** The schema's name (random, unquoted: lower-case letters and digits). */
  schema: string;
  client: pg.Client;
  /**
   * Loads a CSV, Parquet or JSON Lines file into `schema.table`, with column types from
   * DuckDB's reading of it (or `types`). A table keeps no order: `rowNumber` names a column
   * added with each row's number in the file, for a query to ORDER BY.
   */
  loadFile(
    file: string,
    table: string,
    options?: { types?: Record<string, string>; rowNumber?: string },
  ): Promise<void>;
  dispose(): Promise<void>;
}

const pgTypeOf: Record<string, string> = {
  VARCHAR: 'text',
  BIGINT: 'bigint',
  INTEGER: 'integer',
  SMALLINT: 'smallint',
  DOUBLE: 'double precision',
  FLOAT: 'real',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
};

/** Creates a fresh schema with a random name; the caller disposes of it (afterAll). */
export async function createPostgresSchema(url = TEST_POSTGRES_URL): Promise<PostgresSchema> {
  const schema = `leadscore_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  return {
    url,
    schema,
    client,
    async loadFile(file, table, { types = {}, rowNumber } = {}) {
      const conn = await openDuckDb();
      const csv = path.join(os.tmpdir(), `leadscore-pg-load-${randomBytes(6).toString('hex')}.csv`);
      try {
        await conn.run(`SET TimeZone = 'UTC'`);
        const source = tableSourceSql(file, undefined, { textColumns: Object.keys(types) });
        const described = await queryRows(conn, `DESCRIBE SELECT * FROM ${source}`);
        const columns = described.map((r) => {
          const name = String(r.column_name);
          const type = types[name] ?? pgTypeOf[String(r.column_type)] ?? 'text';
          return `"${name.replaceAll('"', '""')}" ${type}`;
        });
        if (rowNumber) columns.push(`"${rowNumber}" bigint`);
        await client.query(`CREATE TABLE ${schema}."${table}" (${columns.join(', ')})`);
        const names = [
          ...described.map((r) => ident(String(r.column_name))),
          ...(rowNumber ? ['row_number() OVER ()'] : []),
        ].join(', ');
        await conn.run(`COPY (SELECT ${names} FROM ${source}) TO ${literal(csv)} (HEADER false)`);
        await pipeline(
          createReadStream(csv),
          client.query(pgCopy.from(`COPY ${schema}."${table}" FROM STDIN (FORMAT csv)`)),
        );
      } finally {
        conn.closeSync();
        rmSync(csv, { force: true });
      }
    },
    async dispose() {
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
