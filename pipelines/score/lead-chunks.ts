import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Frame } from '../../features/frame.ts';
import { checkRuleNames } from '../../models/rules/check-rule-names.ts';
import type { LoadedModel } from '../evaluate/load-model.ts';
import { ChunkedLeads, specColumnTypes } from '../features/chunked-leads.ts';
import { cutoffTimes } from '../features/point-in-time.ts';
import { checkLeadColumns, leadsFile, type BadRow } from '../io/load-leads.ts';
import type { Phases } from '../io/phases.ts';
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
 * refuses a duplicate lead id, splits the events by chunk of leads in DuckDB (spilling to
 * a scratch folder) when there is more than one chunk, and reads the leads `chunkRows` at a
 * time. A bad row stops the reading (row number) unless `skipBadRows`.
 */
export async function openLeadChunks(m: LoadedModel, options: LeadChunksOptions): Promise<LeadChunks> {
  const { loaded, model } = m;
  const { config } = loaded;
  const file = leadsFile(loaded, options.input);
  const configName = path.basename(loaded.file);
  const asOfNow = options.asOf ?? Date.now();
  const events = model.spec.events;
  const engine = model.rules?.engine;
  const leads = await ChunkedLeads.open(loaded, file, options);
  try {
    const { header } = leads;
    // A file with no columns at all has no rows to score (a nightly export with no new leads).
    if (header.length > 0) checkLeadColumns(loaded, file, header, false);
    // Rules naming what the data lacks would never fire (an empty file has nothing to misjudge).
    if (engine && header.length > 0 && !options.allowUnknownRuleColumns) {
      const eventTypes = config.events ? await eventTypesIn(config.events) : undefined;
      checkRuleNames(engine, { source: file, columns: header, eventTypes }, `${m.dir}/rules.yaml`);
    }
    const wanted = new Set([
      ...model.spec.encoders.map((e) => e.source),
      ...(engine?.columns ?? []),
      ...(config.asOf && 'column' in config.asOf ? [config.asOf.column] : []),
    ]);
    const read = header.filter((c) => wanted.has(c) || c === config.idColumn);
    const types = specColumnTypes(model.spec);
    // Inputs of several chunks: duplicate ids are found in DuckDB, and each chunk reads its own events.
    await leads.prepare(config.events);
    async function* chunks(): AsyncGenerator<LeadChunk> {
      for await (const chunk of leads.chunks(read, { requireLabel: false, types, only: wanted })) {
        const { index, frame, bad, warnings } = chunk;
        let asOf: Float64Array | undefined;
        if (config.asOf) asOf = cutoffTimes(frame, config.asOf, configName);
        else if (events) asOf = new Float64Array(frame.rowCount).fill(asOfNow);
        yield { index, frame, bad, warnings, asOf, eventsFrom: chunk.events };
      }
    }
    return { file, rowCount: leads.rowCount, conn: leads.conn, chunks, close: () => leads.close() };
  } catch (err) {
    leads.close();
    throw err;
  }
}
