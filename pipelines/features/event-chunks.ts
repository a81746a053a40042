import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../../features/errors.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import { ident, literal, queryRows } from '../io/duckdb.ts';
import { describeEventsSource } from './events-source.ts';

const scratch = 'leadscore_scratch';
/** The lead ids of a leads file in row order (loadLeadRows): `id VARCHAR`, row index = rowid. */
const leadRows = `${scratch}.lead_rows`;
const chunked = 'leadscore_chunked_events';
const chunkColumn = 'leadscore_chunk';

/** The events of a leads file, by chunk of its rows (see chunkEvents). */
export interface EventChunks {
  /** A DuckDB FROM expression of chunk `k`'s events, with the events file's columns. */
  sourceOf(k: number): string;
}

/**
 * Loads the lead ids of a leads file (`source`, a DuckDB FROM expression whose column
 * `idColumn` holds them), in row order, into a DuckDB database file under `dir`, for chunkEvents; returns the first id that appears
 * twice with the indices (0-based, among the rows read) of its first two rows, if any. The
 * ids stay in DuckDB: a check of the whole file that costs no JavaScript memory.
 */
export async function loadLeadRows(
  conn: DuckDBConnection,
  source: string,
  idColumn: string,
  dir: string,
): Promise<{ id: string; first: number; second: number } | undefined> {
  await conn.run(`ATTACH ${literal(path.join(dir, 'scratch.duckdb'))} AS ${scratch}`);
  try {
    await conn.run(`CREATE TABLE ${leadRows} AS SELECT CAST(${ident(idColumn)} AS VARCHAR) AS id FROM ${source}`);
  } catch (err) {
    throw new InputError(`cannot read the lead ids (${idColumn}): ${(err as Error).message.split('\n')[0]}`);
  }
  // Plain aggregates, which DuckDB spills under its memory limit (a list per id would not).
  const [dup] = await queryRows(
    conn,
    `SELECT id, min(rowid) AS first FROM ${leadRows} WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1 ORDER BY first LIMIT 1`,
  );
  if (!dup) return undefined;
  const [second] = await queryRows(
    conn,
    `SELECT min(rowid) AS second FROM ${leadRows} WHERE id = ${literal(String(dup.id))} AND rowid > ${Number(dup.first)}`,
  );
  return { id: String(dup.id), first: Number(dup.first), second: Number(second!.second) };
}

/**
 * Tags every event with the chunk of leads rows its lead is in (row index, from
 * loadLeadRows, divided by `chunkRows`) and keeps them in a temporary table: one pass over
 * the events file, in DuckDB. Each chunk of leads then reads only its own leads' events
 * (`sourceOf`); events of other leads are left out. With a memory limit and a temporary
 * directory set on `conn`, DuckDB spills the table to disk instead of growing, so that a
 * command's memory is bounded whatever the size of its input. A temporary table is neither
 * compressed nor checkpointed: writing and reading it back costs a fraction of a database
 * file's table.
 */
export async function chunkEvents(
  conn: DuckDBConnection,
  config: EventsConfig,
  chunkRows: number,
): Promise<EventChunks> {
  const { source, lead } = await describeEventsSource(conn, config);
  try {
    await conn.run(`SET preserve_insertion_order = false`);
    await conn.run(`CREATE TEMP TABLE ${chunked} AS
      SELECT (l.rowid // ${Math.floor(chunkRows)})::INTEGER AS ${chunkColumn}, e.*
      FROM ${source} e JOIN ${leadRows} l ON CAST(e.${lead} AS VARCHAR) = l.id`);
    await conn.run(`SET preserve_insertion_order = true`);
  } catch (err) {
    throw new InputError(
      `${config.path}: cannot split the events by chunk of leads: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return {
    sourceOf: (k) => `(SELECT * EXCLUDE (${chunkColumn}) FROM ${chunked} WHERE ${chunkColumn} = ${Math.floor(k)})`,
  };
}
