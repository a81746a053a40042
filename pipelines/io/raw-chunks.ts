import { preparePostgresSource } from './postgres-source.ts';
import { statSync } from 'node:fs';
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { MAX_NUMERIC_MAGNITUDE } from '../../features/numeric-range.ts';
import { float64Column } from './duckdb-columns.ts';
import { ident, literal, queryRows } from './duckdb.ts';
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
  /**
   * The file's rows in chunks of at most `chunkRows`, with the columns asked for, as
   * `readRawTable` reads them; columns of `typed` stored as numbers or times come as numbers
   * where that gives what converting their text would (see TypedColumns). With `keep`, only
   * the rows whose file row numbers it keeps are read into the chunks (malformed lines too);
   * the chunks are the same rows of the file as without it (`chunkRows` rows each, counting
   * the others).
   */
  chunks(
    columns: readonly string[],
    chunkRows: number,
    typed?: TypedColumns,
    keep?: (row: number) => boolean,
  ): AsyncGenerator<RawTable>;
}

/**
 * Columns to be converted to numbers or times (ISO 8601, no declared format), and the missing
 * tokens. A column the file stores as an integer, a DOUBLE, a TIMESTAMP or a DATE is then read
 * as numbers (RawTable.numbers), for the cells whose text would convert exactly as read: a
 * number within MAX_NUMERIC_MAGNITUDE, a time from 1970 to 9999, text that is no missing
 * token. Other cells come as text, converted as before, so that every cell gives the number,
 * the missing value or the error its text gives.
 */
export interface TypedColumns {
  types: ReadonlyMap<string, 'numeric' | 'timestamp'>;
  missingValues: readonly string[];
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
  let stored: Map<string, string>;
  try {
    const described = await queryRows(conn, `DESCRIBE SELECT * FROM ${source}`);
    header = described.map((r) => String(r.column_name));
    stored = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
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
    async *chunks(columns, chunkRows, typed, keep) {
      // A column read as numbers has two: the numbers (NaN elsewhere), then the text of the other cells.
      const asNumbers = columns.map((c) => {
        const want = typed?.types.get(c);
        return want && !isText ? numbersSql(ident(c), stored.get(c)!, want, typed!.missingValues) : undefined;
      });
      const select = columns
        .map((c, k) =>
          asNumbers[k] ? `${asNumbers[k].numbers}, ${asNumbers[k].text}` : isText ? ident(c) : `${ident(c)}::VARCHAR`,
        )
        .join(', ');
      // Where each column's text and numbers are among the result's columns.
      const at: { text: number; numbers?: number }[] = [];
      for (let k = 0, i = 0; k < columns.length; k++)
        at.push(asNumbers[k] ? { numbers: i++, text: i++ } : { text: i++ });
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
      const newNumbers = () => at.map((a) => (a.numbers === undefined ? undefined : new Float64Array(chunkRows)));
      let numbers = newNumbers();
      let rowNumbers: number[] = [];
      let badRows: RawTable['badRows'] = [];
      // Rows of the file in the chunk being filled, kept or not.
      let inChunk = 0;
      const take = (): RawTable => {
        const n = rowNumbers.length;
        const out: RawTable = { file, columns: [...columns], values, rowNumbers, badRows };
        if (numbers.some((x) => x)) out.numbers = numbers.map((x) => x?.subarray(0, n));
        values = columns.map(() => []);
        numbers = newNumbers();
        rowNumbers = [];
        badRows = [];
        inChunk = 0;
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
          // Every cell of the vector is read at once, unless only a few rows are kept.
          const cells = keep
            ? at.map((a) => {
                const vector = got.getColumnVector(a.text);
                return (i: number) => vector.getItem(i) as string | null;
              })
            : at.map((a) => {
                const all = got.getColumnValues(a.text) as (string | null)[];
                return (i: number) => all[i]!;
              });
          const given = at.map((a) => (a.numbers === undefined ? undefined : float64Column(got, a.numbers, n)));
          for (let i = 0; i < n; i++) {
            row++;
            while (next < rejected.length && rejected[next]!.row === row) {
              const bad = rejected[next++]!;
              if (!keep || keep(bad.row)) badRows.push(bad);
              row++;
            }
            inChunk++;
            if (!keep || keep(row)) {
              const r = rowNumbers.length;
              rowNumbers.push(row);
              for (let c = 0; c < columns.length; c++) {
                const v = cells[c]!(i) ?? null;
                values[c]!.push(v === '' ? null : v);
                const x = given[c];
                if (x) numbers[c]![r] = x[i]!;
              }
            }
            if (inChunk === chunkRows) yield take();
          }
        }
      } finally {
        // A caller that stops early closes the connection next: nothing may still be fetching.
        await pending?.catch(() => undefined);
      }
      for (; next < rejected.length; next++) if (!keep || keep(rejected[next]!.row)) badRows.push(rejected[next]!);
      if (rowNumbers.length > 0 || badRows.length > 0) yield take();
    },
  };
}

/** Integer types whose every value is a number within MAX_NUMERIC_MAGNITUDE; the wider ones only up to it. */
const smallIntegers = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT', 'UINTEGER']);
const wideIntegers = new Set(['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);

/**
 * SQL of a column stored as `stored`, to be converted as `want`: its numbers (DOUBLE, NaN where
 * the cell comes as text or is empty) and the text of the other cells (see TypedColumns);
 * undefined when the column is read as text (a type whose text is not always read back
 * exactly: FLOAT, DECIMAL, TIMESTAMP WITH TIME ZONE, text...).
 */
function numbersSql(
  column: string,
  stored: string,
  want: 'numeric' | 'timestamp',
  missingValues: readonly string[],
): { numbers: string; text: string } | undefined {
  const t = stored.toUpperCase();
  let exact: string;
  let value: string;
  if (want === 'numeric' && smallIntegers.has(t)) [exact, value] = ['true', `${column}::DOUBLE`];
  else if (want === 'numeric' && wideIntegers.has(t))
    [exact, value] = [`abs(${column}) <= ${MAX_NUMERIC_MAGNITUDE}`, `${column}::DOUBLE`];
  // DuckDB writes a DOUBLE as the shortest text that reads back as it.
  else if (want === 'numeric' && t === 'DOUBLE')
    [exact, value] = [`isfinite(${column}) AND abs(${column}) <= ${MAX_NUMERIC_MAGNITUDE}`, column];
  // Times before 1970 are left to the text: epoch_ms and Date.parse round their microseconds apart.
  else if (want === 'timestamp' && (t === 'TIMESTAMP' || t === 'DATE'))
    [exact, value] = [
      `${column} >= ${t} '1970-01-01' AND ${column} < ${t} '10000-01-01'`,
      `epoch_ms(${column}::TIMESTAMP)::DOUBLE`,
    ];
  else return undefined;
  // An empty cell is NaN, as a cell left to the text would be, never a value its vector happens to hold.
  exact = `${column} IS NOT NULL AND ${exact}`;
  if (missingValues.length > 0) exact += ` AND ${column}::VARCHAR NOT IN (${missingValues.map(literal).join(', ')})`;
  return {
    numbers: `CASE WHEN ${exact} THEN ${value} ELSE 'nan'::DOUBLE END`,
    text: `CASE WHEN ${exact} THEN NULL ELSE ${column}::VARCHAR END`,
  };
}
