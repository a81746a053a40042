import { preparePostgresSource } from './postgres-source.ts';
import { statSync } from 'node:fs';
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { ident, queryRows } from './duckdb.ts';
import { readError } from './read-error.ts';
import { assertDecodable, rawSourceSql, readRejects, type RawTable, type ReadRawOptions } from './read-raw-table.ts';
import { assertReadable, detectFormat } from './table-source.ts';

/** A file opened for reading as text in chunks of rows, in file order. */
export interface RawChunks {
  file: string;
  /** A DuckDB FROM expression of the rows as the chunks read them (same rows, same order). */
  source: string;
  /** Every column of the file, in file order. */
  header: string[];
  /** Rows DuckDB can read (malformed CSV lines excluded: they come back as bad rows of the chunk they fall in). */
  rowCount: number;
  /** The file's row number of the `index`th row read (0-based), counting the malformed lines before it. */
  rowNumberOf(index: number): number;
  /** The file's rows in chunks of at most `chunkRows`, with the columns asked for, as `readRawTable` reads them. */
  chunks(columns: readonly string[], chunkRows: number): AsyncGenerator<RawTable>;
}

/**
 * Opens `file` for `RawChunks`: checks it can be read, reads its header and, for CSV, which
 * lines are malformed (one pass that keeps nothing but their numbers), so that every row
 * keeps its row number as `readRawTable` gives it. Only the chunk being read is held.
 */
export async function openRawChunks(
  conn: DuckDBConnection,
  file: string,
  options: ReadRawOptions = {},
): Promise<RawChunks> {
  await preparePostgresSource(file);
  assertReadable(file, options.glob);
  const format = detectFormat(file, options.format);
  const isText = format === 'csv' || format === 'tsv';
  // An empty file has no columns either (DuckDB would make one up), as readRawTable reads it.
  if (!options.glob && statSync(file).size === 0)
    return {
      file,
      source: 'leadscore_no_rows',
      header: [],
      rowCount: 0,
      rowNumberOf: (i) => i + 1,
      chunks: async function* () {},
    };
  const source = rawSourceSql(file, format, options);
  let header: string[];
  let rowCount: number;
  try {
    header = (await queryRows(conn, `DESCRIBE SELECT * FROM ${source}`)).map((r) => String(r.column_name));
    // Every column is read (not just counted), so that the lines DuckDB rejects in the chunks'
    // scan (a cell that is not UTF-8, say) are all known here, with their numbers.
    const every = isText && header.length > 0 ? ', max(length(COLUMNS(*)))' : '';
    rowCount = Number((await queryRows(conn, `SELECT count(*) AS n${every} FROM ${source}`))[0]!.n);
  } catch (err) {
    throw readError(file, `cannot read as ${format}`, err);
  }
  const rejected = isText ? await readRejects(conn) : [];
  assertDecodable(file, rejected);
  return {
    file,
    source,
    header,
    rowCount,
    rowNumberOf(index) {
      let row = index + 1;
      for (const r of rejected) if (r.row <= row) row++;
      return row;
    },
    async *chunks(columns, chunkRows) {
      const select = columns.map((c) => (isText ? ident(c) : `${ident(c)}::VARCHAR`)).join(', ');
      let result;
      try {
        result = await conn.stream(`SELECT ${select || '1'} FROM ${source}`);
      } catch (err) {
        throw readError(file, `cannot read as ${format}`, err);
      }
      // Row numbers of the kept rows, walking past the rejected lines; each rejected line is
      // reported with the chunk its neighbours fall in.
      let row = 0;
      let next = 0;
      let values = columns.map(() => [] as (string | null)[]);
      let rowNumbers: number[] = [];
      let badRows: RawTable['badRows'] = [];
      const take = (): RawTable => {
        const out = { file, columns: [...columns], values, rowNumbers, badRows };
        values = columns.map(() => []);
        rowNumbers = [];
        badRows = [];
        return out;
      };
      // The next vector is fetched (DuckDB reads and casts it on its threads) while this one
      // is turned into rows and while the caller works on a chunk handed out.
      const fetch = () => {
        const p = result.fetchChunk();
        p.catch(() => {});
        return p;
      };
      let pending: Promise<DuckDBDataChunk | null> | undefined = fetch();
      try {
        for (;;) {
          let chunk: DuckDBDataChunk | null;
          try {
            chunk = await pending;
          } catch (err) {
            throw readError(file, `cannot read as ${format}`, err);
          } finally {
            pending = undefined;
          }
          if (!chunk || chunk.rowCount === 0) break;
          pending = fetch();
          const n = chunk.rowCount;
          const got = chunk;
          const cells = columns.map((_, c) => got.getColumnValues(c) as (string | null)[]);
          for (let i = 0; i < n; i++) {
            row++;
            while (next < rejected.length && rejected[next]!.row === row) {
              badRows.push(rejected[next++]!);
              row++;
            }
            rowNumbers.push(row);
            for (let c = 0; c < columns.length; c++) {
              const v = cells[c]![i] ?? null;
              values[c]!.push(v === '' ? null : v);
            }
            if (rowNumbers.length === chunkRows) yield take();
          }
        }
      } finally {
        // A caller that stops early closes the connection next: nothing may still be fetching.
        await pending?.catch(() => undefined);
      }
      while (next < rejected.length) badRows.push(rejected[next++]!);
      if (rowNumbers.length > 0 || badRows.length > 0) yield take();
    },
  };
}
