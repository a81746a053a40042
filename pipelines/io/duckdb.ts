import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** An in-memory DuckDB connection; close it with `closeSync()` when done. */
export async function openDuckDb(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  return instance.connect();
}

/** Runs `sql` and returns its rows as plain JSON-safe objects (BIGINTs become strings, use Number()). */
export async function queryRows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/** Quotes an identifier for DuckDB SQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB SQL. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
