import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../../features/errors.ts';
import type { FeatureSpec } from '../../features/feature-spec.ts';
import type { ColumnType, Frame } from '../../features/frame.ts';
import { checkRuleNames } from '../../models/rules/check-rule-names.ts';
import type { LoadedModel } from '../evaluate/load-model.ts';
import { chunkEvents, loadLeadRows, type EventChunks } from '../features/event-chunks.ts';
import { cutoffTimes } from '../features/point-in-time.ts';
import { literal, openDuckDb } from '../io/duckdb.ts';
import {
  checkLeadColumns,
  convertLeads,
  findDuplicate,
  keepGoodRows,
  leadsFile,
  throwBadRows,
  type BadRow,
} from '../io/load-leads.ts';
import { noPhases, type Phases } from '../io/phases.ts';
import { openRawChunks, type RawChunks } from '../io/raw-chunks.ts';
import { eventTypesIn } from '../rules/known-names.ts';

/** How a leads file is read for scoring (see openLeadChunks). */
export interface LeadChunksOptions {
  input: string;
  skipBadRows?: boolean;
  /** Scoring time when the config sets no asOf (epoch ms). Default: now. */
  asOf?: number;
  /** Leads per chunk. */
  chunkRows: number;
  phases?: Phases;
  allowUnknownRuleColumns?: boolean;
}

/** One chunk of a leads file, read and converted as the model's training data was. */
export interface LeadChunk {
  /** 0, 1, 2... in file order. */
  index: number;
  /** The chunk's good rows, with the columns the model and its rules read. */
  frame: Frame;
  /** Rows of the chunk refused (only with skipBadRows: otherwise they stop the run). */
  bad: BadRow[];
  warnings: string[];
  /** Each row's scoring time; undefined when neither the config nor the model needs one. */
  asOf: Float64Array | undefined;
  /** The chunk's own events, a DuckDB FROM expression; undefined: the whole events file. */
  eventsFrom: string | undefined;
}

/** A leads file opened for scoring chunk by chunk. */
export interface LeadChunks {
  file: string;
  rowCount: number;
  /** A DuckDB connection for the chunks' event queries (memory-limited, spilling to a scratch folder). */
  conn: DuckDBConnection;
  chunks(): AsyncGenerator<LeadChunk>;
  close(): void;
}

/**
 * Opens a leads file for scoring with a model: checks its columns (and the rules' names),
 * refuses a duplicate lead id, splits the events by chunk of leads in a scratch DuckDB file
 * when there is more than one chunk, and reads the leads `chunkRows` at a time. A bad row
 * stops the reading (row number) unless `skipBadRows`.
 */
export async function openLeadChunks(m: LoadedModel, options: LeadChunksOptions): Promise<LeadChunks> {
  const { loaded, model } = m;
  const { config } = loaded;
  const file = leadsFile(loaded, options.input);
  const chunkRows = options.chunkRows;
  const configName = path.basename(loaded.file);
  const asOfNow = options.asOf ?? Date.now();
  const events = model.spec.events;
  const phases = options.phases ?? noPhases;
  const engine = model.rules?.engine;
  // The leads stream has a connection of its own: another query on it would end the stream.
  const reader = await openDuckDb();
  const conn = await openDuckDb();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'leadscore-score-'));
  const close = (): void => {
    reader.closeSync();
    conn.closeSync();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    // DuckDB spills to the scratch folder rather than grow with the input.
    await conn.run(`SET memory_limit = '128MB'`);
    await conn.run(`SET temp_directory = ${literal(scratch)}`);
    phases.phase('reading');
    const raw: RawChunks = await openRawChunks(reader, file, {});
    // A file with no columns at all has no rows to score (a nightly export with no new leads).
    if (raw.header.length > 0) checkLeadColumns(loaded, file, raw.header, false);
    // Rules naming what the data lacks would never fire (an empty file has nothing to misjudge).
    if (engine && raw.header.length > 0 && !options.allowUnknownRuleColumns) {
      const eventTypes = config.events ? await eventTypesIn(config.events) : undefined;
      checkRuleNames(engine, { source: file, columns: raw.header, eventTypes }, `${m.dir}/rules.yaml`);
    }
    const wanted = new Set([
      ...model.spec.encoders.map((e) => e.source),
      ...(engine?.columns ?? []),
      ...(config.asOf && 'column' in config.asOf ? [config.asOf.column] : []),
    ]);
    const read = raw.header.filter((c) => wanted.has(c) || c === config.idColumn);
    const types = specColumnTypes(model.spec);
    let split: EventChunks | undefined;
    // Inputs of several chunks: duplicate ids are found in DuckDB, and each chunk reads its own events.
    const chunked = raw.rowCount > chunkRows && config.idColumn !== undefined;
    if (chunked) {
      const dup = await loadLeadRows(conn, raw.source, config.idColumn!, scratch);
      if (dup)
        throw new InputError(
          `${file}: duplicate lead id "${dup.id}" at rows ${raw.rowNumberOf(dup.first)} and ${raw.rowNumberOf(dup.second)}`,
        );
      if (config.events) {
        phases.phase('splitting events by chunk of leads');
        split = await chunkEvents(conn, config.events, chunkRows);
      }
    }
    async function* chunks(): AsyncGenerator<LeadChunk> {
      let index = 0;
      for await (const chunk of raw.chunks(read, chunkRows)) {
        const {
          frame: all,
          bad,
          warnings,
        } = await convertLeads(loaded, chunk, {
          requireLabel: false,
          types,
          only: wanted,
        });
        if (!chunked) checkDuplicates(file, all, bad);
        throwBadRows(file, bad, options.skipBadRows);
        const frame = keepGoodRows(all, bad);
        let asOf: Float64Array | undefined;
        if (config.asOf) asOf = cutoffTimes(frame, config.asOf, configName);
        else if (events) asOf = new Float64Array(frame.rowCount).fill(asOfNow);
        yield { index, frame, bad, warnings, asOf, eventsFrom: split?.sourceOf(index) };
        index++;
      }
    }
    return { file, rowCount: raw.rowCount, conn, chunks, close };
  } catch (err) {
    close();
    throw err;
  }
}

/** The column types a model's features were fitted on, by source column. */
function specColumnTypes(spec: FeatureSpec): Map<string, ColumnType> {
  const byKind: Record<FeatureSpec['encoders'][number]['kind'], ColumnType> = {
    numeric: 'numeric',
    categorical: 'categorical',
    boolean: 'boolean',
    timestamp: 'timestamp',
    email: 'text',
  };
  return new Map(spec.encoders.map((e) => [e.source, byKind[e.kind]]));
}

/** Refuses a lead id that two rows of a frame share, as loadLeads does. */
function checkDuplicates(file: string, frame: Frame, bad: readonly BadRow[]): void {
  const badRows = new Set(bad.map((b) => b.row));
  const ids = frame.ids.map((id, r) => (badRows.has(frame.rowNumbers[r]!) ? null : id));
  const dup = findDuplicate(ids, frame.rowNumbers);
  if (dup) throw new InputError(`${file}: duplicate lead id "${dup.id}" at rows ${dup.first} and ${dup.second}`);
}
