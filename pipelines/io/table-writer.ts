import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { InputError } from '../../features/errors.ts';
import { ident, literal, openDuckDb } from './duckdb.ts';
import { detectFormat, type DataFormat } from './table-source.ts';

/** One cell of a written row; null and undefined are missing. */
export type Cell = string | number | boolean | null | undefined;

/** A cell as CSV (or TSV with `sep`): quoted when it holds the separator, a quote or a line break. */
export function csvCell(v: Cell, sep: string): string {
  if (v === null || v === undefined) return '';
  // A number or a boolean never holds a separator, a quote or a line break.
  if (typeof v !== 'string') return String(v);
  const s = v;
  return s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r')
    ? `"${s.replaceAll('"', '""')}"`
    : s;
}

/** The format and columns of a table being written (see TableWriter.layout). */
export interface RowsLayout {
  format: DataFormat;
  columns: readonly WrittenColumn[];
}

/**
 * Rows (cells in column order) as the text TableWriter appends for them: CSV or TSV lines, or
 * JSON Lines (Parquet is staged as JSON Lines).
 */
export function rowsText(layout: RowsLayout, rows: readonly (readonly Cell[])[]): string {
  const { format, columns } = layout;
  let text = '';
  if (format === 'csv' || format === 'tsv') {
    const sep = format === 'tsv' ? '\t' : ',';
    for (const row of rows) {
      let line = '';
      for (let i = 0; i < columns.length; i++) line += (i === 0 ? '' : sep) + csvCell(row[i], sep);
      text += `${line}\n`;
    }
  } else {
    for (const row of rows) {
      const record: Record<string, Cell> = {};
      for (let i = 0; i < columns.length; i++) record[columns[i]!.name] = row[i] ?? null;
      text += `${JSON.stringify(record)}\n`;
    }
  }
  return text;
}

/** A column of a written table and its type (Parquet keeps it; CSV and JSON Lines write the values as they are). */
export interface WrittenColumn {
  name: string;
  type: 'VARCHAR' | 'DOUBLE' | 'BOOLEAN' | 'BIGINT';
}

/**
 * Writes a table to CSV, Parquet or JSON Lines a batch of rows at a time, so that a command's
 * memory does not grow with its output. Everything goes to a temporary name beside the
 * output and is renamed to it by `commit()`: a run that fails midway (`abort()`) leaves no
 * half-written file under the final name. Parquet is staged as JSON Lines and written by
 * DuckDB, streaming, with the declared column types.
 */
export class TableWriter {
  private readonly stream: WriteStream;
  private readonly staged: string;
  private readonly format: DataFormat;
  private done = false;
  /** Rows written so far. */
  rows = 0;

  private constructor(
    readonly file: string,
    private readonly columns: readonly WrittenColumn[],
    format?: DataFormat,
  ) {
    this.format = detectFormat(file, format);
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const base = path.join(
      path.dirname(path.resolve(file)),
      `.${path.basename(file)}.${process.pid}-${Date.now().toString(36)}`,
    );
    this.staged = this.format === 'parquet' ? `${base}.jsonl` : `${base}.partial`;
    this.stream = createWriteStream(this.staged);
    if (this.format === 'csv' || this.format === 'tsv')
      this.stream.write(rowsText(this.layout, [columns.map((c) => c.name)]));
  }

  /** Opens `file` for writing (the format from its extension, or `format`). */
  static async open(file: string, columns: readonly WrittenColumn[], format?: DataFormat): Promise<TableWriter> {
    const writer = new TableWriter(file, columns, format);
    await Promise.race([
      once(writer.stream, 'open'),
      once(writer.stream, 'error').then(([err]) => Promise.reject(writeError(file, err as Error))),
    ]);
    return writer;
  }

  /** How rows are written as text: what `rowsText` takes to write them elsewhere (another thread). */
  get layout(): RowsLayout {
    return { format: this.format, columns: this.columns };
  }

  /** Appends rows (cells in column order); waits while the file catches up. */
  async write(rows: readonly (readonly Cell[])[]): Promise<void> {
    await this.writeText(rowsText(this.layout, rows), rows.length);
  }

  /** Appends `rows` rows already written as text by `rowsText` with this writer's layout. */
  async writeText(text: string, rows: number): Promise<void> {
    this.rows += rows;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  /** Finishes the file and gives it its final name. */
  async commit(): Promise<void> {
    await this.closeStream();
    try {
      if (this.format === 'parquet') {
        const tmp = `${this.staged.slice(0, -'.jsonl'.length)}.parquet`;
        try {
          await writeParquet(this.staged, tmp, this.columns, this.rows);
          renameSync(tmp, this.file);
        } finally {
          rmSync(tmp, { force: true });
        }
      } else renameSync(this.staged, this.file);
    } catch (err) {
      throw err instanceof InputError ? err : writeError(this.file, err as Error);
    } finally {
      rmSync(this.staged, { force: true });
      this.done = true;
    }
  }

  /** Drops what was written: nothing is left under the final name or the temporary one. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.closeStream().catch(() => {});
    rmSync(this.staged, { force: true });
  }

  private async closeStream(): Promise<void> {
    if (this.stream.closed) return;
    this.stream.end();
    await once(this.stream, 'close');
  }
}

async function writeParquet(
  jsonl: string,
  out: string,
  columns: readonly WrittenColumn[],
  rows: number,
): Promise<void> {
  const conn = await openDuckDb();
  try {
    // Streamed from the staged rows, in their order, in bounded memory (spilling beside the output).
    await conn.run(`SET memory_limit = '128MB'`);
    await conn.run(`SET temp_directory = ${literal(`${out}.spill`)}`);
    const spec = `{${columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ')}}`;
    const select = rows
      ? `SELECT * FROM read_json(${literal(jsonl)}, format = 'newline_delimited', columns = ${spec})`
      : `SELECT ${columns.map((c) => `NULL::${c.type} AS ${ident(c.name)}`).join(', ')} LIMIT 0`;
    await conn.run(`COPY (${select}) TO ${literal(out)} (FORMAT parquet)`);
  } catch (err) {
    throw new InputError(`${out}: cannot write parquet: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    conn.closeSync();
    rmSync(`${out}.spill`, { recursive: true, force: true });
  }
}

function writeError(file: string, err: Error): InputError {
  return new InputError(`${file}: cannot write: ${err.message.split('\n')[0]}`);
}
