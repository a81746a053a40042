import { statSync } from 'node:fs';
import type { TextEncoding } from '../../features/feature-config.ts';
import { openDuckDb, queryRows } from './duckdb.ts';
import { notUtf8, readError } from './read-error.ts';
import { preparePostgresSource } from './postgres-source.ts';
import { assertReadable, detectFormat, tableSourceSql, type DataFormat } from './table-source.ts';

/** A table read as text, columnar, in file order. */
export interface RawTable {
  file: string;
  columns: string[];
  /** values[c][r]: the text of column c in row r; empty cells are null. */
  values: (string | null)[][];
  /**
   * numbers[c], for a column read as numbers (see RawChunks.chunks' `typed`): numbers[c][r] is
   * the number the text of the cell would convert to, or NaN where values[c][r] holds the text
   * to convert (or the cell is empty, when both are missing).
   */
  numbers?: (Float64Array | undefined)[];
  /** 1-based data row (header excluded) of each kept row. */
  rowNumbers: number[];
  /** Rows that could not be read (wrong number of fields...), with their row number. */
  badRows: { row: number; reason: string }[];
}

export interface ReadRawOptions {
  format?: DataFormat;
  delimiter?: string;
  /** Read `file` as a glob pattern. Default false: a literal path. */
  glob?: boolean;
  /** Text encoding of a CSV, TSV or JSON Lines file. Default UTF-8. */
  encoding?: TextEncoding;
}

/** The DuckDB FROM expression that reads `file` as text (every column VARCHAR, malformed CSV lines kept aside). */
export function rawSourceSql(file: string, format: DataFormat, options: ReadRawOptions): string {
  return tableSourceSql(file, format, {
    delimiter: options.delimiter,
    allVarchar: true,
    storeRejects: format === 'csv' || format === 'tsv',
    glob: options.glob,
    encoding: options.encoding,
  });
}

/** DuckDB names a header cell that is empty `columnN`; a trailing comma on every line makes one. */
const unnamedColumn = /^column\d+$/;

/**
 * Reads any supported file as text with DuckDB (delimiter, quote and newline sniffing for
 * CSV). Malformed CSV rows are collected in `badRows`, never dropped silently; the caller
 * decides whether they are fatal. A trailing unnamed all-empty column is ignored.
 */
export async function readRawTable(file: string, options: ReadRawOptions = {}): Promise<RawTable> {
  await preparePostgresSource(file);
  assertReadable(file, options.glob);
  const format = detectFormat(file, options.format);
  const isText = format === 'csv' || format === 'tsv';
  // An empty file has no columns either (DuckDB would make one up).
  if (!options.glob && statSync(file).size === 0) return { file, columns: [], values: [], rowNumbers: [], badRows: [] };
  const source = rawSourceSql(file, format, options);
  const conn = await openDuckDb();
  try {
    let reader;
    try {
      reader = await conn.runAndReadAll(
        isText ? `SELECT * FROM ${source}` : `SELECT COLUMNS(*)::VARCHAR FROM ${source}`,
      );
    } catch (err) {
      throw readError(file, `cannot read as ${format}`, err);
    }
    const names = reader.columnNames();
    const vectors = reader.getColumnsJS() as (string | null)[][];
    // A header-only file gives no column vectors at all.
    const columns = names.map((_, c) => vectors[c] ?? []);
    const badRows = isText ? await readRejects(conn) : [];
    assertDecodable(file, badRows);
    const keep = names.map(
      (name, c) => !(unnamedColumn.test(name) && columns[c]!.every((v) => v === null || v === '')),
    );
    const rowCount = columns[0]?.length ?? 0;
    return {
      file,
      columns: names.filter((_, c) => keep[c]),
      values: columns.filter((_, c) => keep[c]).map((col) => col.map((v) => (v === '' ? null : v))),
      rowNumbers: keptRowNumbers(
        rowCount,
        badRows.map((b) => b.row),
      ),
      badRows,
    };
  } finally {
    conn.closeSync();
  }
}

/** Refuses a file whose rejected rows include bytes that are not UTF-8: every row with a non-ASCII letter would be "bad", so the file is refused once, with the way out. */
export function assertDecodable(file: string, badRows: readonly { row: number; reason: string }[]): void {
  const undecodable = badRows.find((b) => /Invalid unicode/i.test(b.reason));
  if (undecodable) throw notUtf8(file, undecodable.row + 1);
}

export async function readRejects(
  conn: Awaited<ReturnType<typeof openDuckDb>>,
): Promise<{ row: number; reason: string }[]> {
  const rows = await queryRows(
    conn,
    `SELECT line, min(error_message) AS reason FROM reject_errors GROUP BY line ORDER BY line`,
  );
  // `line` counts the header as line 1; rows are numbered from the first data line.
  return rows.map((r) => ({ row: Number(r.line) - 1, reason: String(r.reason) }));
}

/** Row numbers of the rows DuckDB kept, given the (sorted) rows it rejected. */
function keptRowNumbers(kept: number, rejected: number[]): number[] {
  const out: number[] = [];
  const skip = new Set(rejected);
  for (let row = 1; out.length < kept; row++) if (!skip.has(row)) out.push(row);
  return out;
}
