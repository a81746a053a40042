import {
  DOUBLE,
  DuckDBDataChunk,
  INTEGER,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import { ident } from '../io/duckdb.ts';

const chunkRows = 2048;

/**
 * A DuckDB table filled from numeric column buffers a chunk (2048 rows) at a time through
 * the appender: far faster than row-by-row appends or INSERTs. NaN in a DOUBLE column is
 * stored as NaN (callers map it to NULL in SQL).
 */
export class AppendTable {
  /** Column buffers of the current chunk: write row `next()` then call next() again. */
  readonly columns: (Int32Array | Float64Array)[];
  rows = 0;
  private filled = 0;
  private readonly chunk: DuckDBDataChunk;

  private constructor(
    private readonly appender: DuckDBAppender,
    types: DuckDBType[],
  ) {
    this.columns = types.map((t) => (t === INTEGER ? new Int32Array(chunkRows) : new Float64Array(chunkRows)));
    this.chunk = DuckDBDataChunk.create(types, chunkRows);
  }

  /** Creates (or replaces) table `name` with INTEGER or DOUBLE columns and an appender on it. */
  static async create(
    conn: DuckDBConnection,
    name: string,
    columns: Record<string, 'INTEGER' | 'DOUBLE'>,
  ): Promise<AppendTable> {
    const defs = Object.entries(columns).map(([c, t]) => `${ident(c)} ${t}`);
    await conn.run(`CREATE OR REPLACE TABLE ${ident(name)} (${defs.join(', ')})`);
    const appender = await conn.createAppender(name);
    return new AppendTable(
      appender,
      Object.values(columns).map((t) => (t === 'INTEGER' ? INTEGER : DOUBLE)),
    );
  }

  /** Index of the next row to write in the column buffers (flushing a full chunk first). */
  next(): number {
    if (this.filled === chunkRows) this.flush();
    this.rows++;
    return this.filled++;
  }

  private flush(): void {
    if (this.filled === 0) return;
    const n = this.filled;
    if (this.chunk.rowCount !== n) this.chunk.rowCount = n;
    this.columns.forEach((col, c) => this.chunk.setColumnValues(c, col.subarray(0, n) as unknown as number[]));
    this.appender.appendDataChunk(this.chunk);
    this.filled = 0;
  }

  /** Appends what is buffered and closes the appender. */
  close(): void {
    this.flush();
    this.appender.closeSync();
  }
}
