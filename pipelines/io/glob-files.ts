import { InputError } from '../../features/errors.ts';
import { literal, openDuckDb, queryRows } from './duckdb.ts';

/**
 * The files a `glob: true` pattern matches, in name order, as DuckDB expands it when it
 * reads them (its own `glob` function, so both agree). None is an InputError.
 */
export async function globFiles(pattern: string): Promise<string[]> {
  const conn = await openDuckDb();
  try {
    const rows = await queryRows(conn, `SELECT file FROM glob(${literal(pattern)}) ORDER BY file`);
    if (rows.length === 0) throw new InputError(`${pattern}: no file matches this pattern`);
    return rows.map((r) => String(r.file));
  } finally {
    conn.closeSync();
  }
}
