import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../../features/errors.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import type { FeatureSpec } from '../../features/feature-spec.ts';
import type { ColumnType, Frame } from '../../features/frame.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { literal, openDuckDb } from '../io/duckdb.ts';
import {
  convertLeads,
  findDuplicate,
  keepGoodRows,
  throwBadRows,
  type BadRow,
  type ConvertOptions,
} from '../io/load-leads.ts';
import { noPhases, type Phases } from '../io/phases.ts';
import { openRawChunks, type RawChunks, type TypedColumns } from '../io/raw-chunks.ts';
import type { ReadRawOptions } from '../io/read-raw-table.ts';
import { chunkEvents, loadLeadRows, type EventChunks } from './event-chunks.ts';

/** One chunk of a leads file, converted, with where its leads' events are. */
export interface ConvertedChunk {
  /** 0, 1, 2... in file order. */
  index: number;
  /** The chunk's good rows. */
  frame: Frame;
  /** Its bad rows (left out; only with skipBadRows, otherwise they stop the run). */
  bad: BadRow[];
  /** What the rows were read with that is worth telling (see ConvertedLeads.warnings). */
  warnings: string[];
  /** Distinct label values seen in the chunk. */
  labelsSeen: string[];
  /** A DuckDB FROM expression of the events of this chunk's leads; undefined: the whole events file. */
  events?: string;
}

export interface ChunkedLeadsOptions {
  /** Leads per chunk. */
  chunkRows: number;
  /** Told the phases: reading, splitting events by chunk of leads. */
  phases?: Phases;
  /** How to read the file (the config's format, delimiter, glob and encoding for its own leads file). */
  read?: ReadRawOptions;
  /** Leave bad rows out (reported in each chunk's `bad`) instead of stopping. Default false. */
  skipBadRows?: boolean;
}

/**
 * A leads file read a chunk of rows at a time, for the batch commands that stream (score,
 * evaluate, report): each chunk converted as `loadLeads` converts the whole file, with its
 * own leads' events only (the events file is tagged by chunk once, in DuckDB, spilling to
 * disk past a memory limit: see chunkEvents). A lead id used twice anywhere in the file is
 * found in DuckDB, without holding every id in JavaScript. `close()` when done.
 */
export class ChunkedLeads {
  private split: EventChunks | undefined;
  private chunked = false;

  private constructor(
    readonly loaded: LoadedConfig,
    /** The file's rows as text, a chunk at a time. */
    readonly raw: RawChunks,
    /** The connection the events of each chunk are read on (memory-limited, spilling to a scratch folder). */
    readonly conn: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    private readonly scratch: string,
    private readonly options: ChunkedLeadsOptions,
  ) {}

  /** Opens `file` (a leads file of `loaded`'s schema): its header and row count are read, no rows yet. */
  static async open(loaded: LoadedConfig, file: string, options: ChunkedLeadsOptions): Promise<ChunkedLeads> {
    const phases = options.phases ?? noPhases;
    // The leads stream has a connection of its own: another query on it would end the stream.
    const reader = await openDuckDb();
    const conn = await openDuckDb();
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'leadscore-chunks-'));
    try {
      // DuckDB spills to the scratch folder rather than grow with the input. Under this limit,
      // 200k leads take about a fifth more memory than 50k, and it holds a million.
      await conn.run(`SET memory_limit = '96MB'`);
      await conn.run(`SET temp_directory = ${literal(scratch)}`);
      phases.phase('reading');
      const raw = await openRawChunks(reader, file, options.read ?? {});
      return new ChunkedLeads(loaded, raw, conn, reader, scratch, {
        ...options,
        chunkRows: Math.max(1, Math.floor(options.chunkRows)),
      });
    } catch (err) {
      reader.closeSync();
      conn.closeSync();
      rmSync(scratch, { recursive: true, force: true });
      throw err;
    }
  }

  /** The file as read. */
  get file(): string {
    return this.raw.file;
  }

  /** Every column of the file, in file order. */
  get header(): string[] {
    return this.raw.header;
  }

  /** Rows DuckDB can read (see RawChunks.rowCount). */
  get rowCount(): number {
    return this.raw.rowCount;
  }

  /**
   * For a file of more than one chunk: refuses a lead id that two rows share, then tags
   * `events` (when given) by chunk. Call once, after the header checks and before `chunks`.
   */
  async prepare(events: EventsConfig | undefined): Promise<void> {
    const { config } = this.loaded;
    this.chunked = this.raw.rowCount > this.options.chunkRows && config.idColumn !== undefined;
    if (!this.chunked) return;
    const dup = await loadLeadRows(this.conn, this.raw.source, config.idColumn!, this.scratch);
    if (dup)
      throw new InputError(
        `${this.file}: duplicate lead id "${dup.id}" at rows ${this.raw.rowNumberOf(dup.first)} and ${this.raw.rowNumberOf(dup.second)}`,
      );
    if (events) {
      (this.options.phases ?? noPhases).phase('splitting events by chunk of leads');
      this.split = await chunkEvents(this.conn, events, this.options.chunkRows);
    }
  }

  /**
   * The file's rows a chunk at a time, the `columns` asked for converted as `convert` says;
   * a chunk with bad rows stops the run (file, rows, reasons) unless skipBadRows. With
   * `rows` (file row numbers, of rows a first pass found good), only those are converted.
   */
  async *chunks(
    columns: readonly string[],
    convert: ConvertOptions,
    rows?: ReadonlySet<number>,
  ): AsyncGenerator<ConvertedChunk> {
    let k = 0;
    const keep = rows && ((row: number) => rows.has(row));
    for await (const chunk of this.raw.chunks(
      columns,
      this.options.chunkRows,
      this.typedColumns(columns, convert),
      keep,
    )) {
      const { frame, bad, warnings, labelsSeen } = await convertLeads(this.loaded, chunk, convert);
      if (!this.chunked) refuseDuplicates(this.file, frame, bad);
      throwBadRows(this.file, bad, this.options.skipBadRows);
      yield { index: k, frame: keepGoodRows(frame, bad), bad, warnings, labelsSeen, events: this.split?.sourceOf(k) };
      k++;
    }
  }

  /** The columns convertLeads converts to numbers or ISO times (see TypedColumns): read as numbers where the file stores them so. */
  private typedColumns(columns: readonly string[], convert: ConvertOptions): TypedColumns {
    const { config } = this.loaded;
    const label = 'column' in config.label ? config.label.column : undefined;
    const types = new Map<string, 'numeric' | 'timestamp'>();
    for (const c of columns) {
      if (c === config.idColumn || c === label) continue;
      const spec = config.columns[c];
      const type = spec?.type ?? convert.types?.get(c);
      if (type === 'numeric' || (type === 'timestamp' && spec?.format === undefined)) types.set(c, type);
    }
    return { types, missingValues: config.missingValues };
  }

  /** Closes the connections and removes the scratch folder. */
  close(): void {
    this.reader.closeSync();
    this.conn.closeSync();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Refuses a lead id that two rows of a frame share, as loadLeads does. */
function refuseDuplicates(file: string, frame: Frame, bad: readonly BadRow[]): void {
  const badRows = new Set(bad.map((b) => b.row));
  const ids = frame.ids.map((id, r) => (badRows.has(frame.rowNumbers[r]!) ? null : id));
  const dup = findDuplicate(ids, frame.rowNumbers);
  if (dup) throw new InputError(`${file}: duplicate lead id "${dup.id}" at rows ${dup.first} and ${dup.second}`);
}

/** The column types a model's features were fitted on, by source column. */
export function specColumnTypes(spec: FeatureSpec): Map<string, ColumnType> {
  const byKind: Record<FeatureSpec['encoders'][number]['kind'], ColumnType> = {
    numeric: 'numeric',
    categorical: 'categorical',
    boolean: 'boolean',
    timestamp: 'timestamp',
    email: 'text',
  };
  return new Map(spec.encoders.map((e) => [e.source, byKind[e.kind]]));
}
