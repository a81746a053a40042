import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError, InvariantError } from '../../features/errors.ts';
import type { FeatureSpec } from '../../features/feature-spec.ts';
import type { ColumnType, Frame } from '../../features/frame.ts';
import type { LoadedModel } from '../evaluate/load-model.ts';
import { aggregateFrameColumns, batchEventAggregates } from '../features/batch-event-aggregates.ts';
import { chunkEvents, loadLeadRows, type EventChunks } from '../features/event-chunks.ts';
import { cutoffTimes } from '../features/point-in-time.ts';
import { collectGarbage } from '../io/collect-garbage.ts';
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
import { openRawChunks } from '../io/raw-chunks.ts';
import { TableWriter, type WrittenColumn } from '../io/table-writer.ts';
import { batchRuleTally } from '../rules/batch-rule-tally.ts';
import { checkRuleNames } from '../../models/rules/check-rule-names.ts';
import { eventTypesIn } from '../rules/known-names.ts';
import { scoreRows } from './score-rows.ts';

export interface ScoreOptions {
  input: string;
  output: string;
  /** Reasons per lead. Default 3. */
  reasons?: number;
  skipBadRows?: boolean;
  /** Scoring time when the config sets no asOf (epoch ms). Default: now. */
  asOf?: number;
  /** Leads scored at a time: memory grows with it, not with the input. Default 50,000. */
  chunkRows?: number;
  /** Phases and leads scored so far. */
  phases?: Phases;
  /** Score even when the model's rules name columns or event types the data lacks. Default false. */
  allowUnknownRuleColumns?: boolean;
}

export interface ScoreSummary {
  rows: number;
  skipped: BadRow[];
  /** What the leads were read with that is worth telling (see LoadResult.warnings). */
  warnings: string[];
  /** Leads scored without any event before their cutoff; undefined when the model takes no events. */
  withoutEvents?: number;
}

/** Output columns of `leadscore score`, with their types. */
export const scoreColumnTypes: readonly WrittenColumn[] = [
  { name: 'lead_id', type: 'VARCHAR' },
  { name: 'probability', type: 'DOUBLE' },
  { name: 'score', type: 'BIGINT' },
  { name: 'tier', type: 'VARCHAR' },
  { name: 'rule_score', type: 'DOUBLE' },
  { name: 'rule_tier', type: 'VARCHAR' },
  { name: 'reason_1', type: 'VARCHAR' },
  { name: 'reason_2', type: 'VARCHAR' },
  { name: 'reason_3', type: 'VARCHAR' },
];

/** Output columns of `leadscore score`. */
export const scoreColumns = scoreColumnTypes.map((c) => c.name);

/**
 * Scores a leads file with a model version: probability, 0-100 score, tier, the rules'
 * score and tier, and the top reasons in words; written as CSV, Parquet or JSON Lines.
 *
 * Streamed: leads are read, featurised, scored and written a chunk at a time, each chunk
 * with only its own leads' events (the events file is split by chunk once, in DuckDB), so
 * memory is bounded by the chunk, not the input. The output appears under its name only
 * when every row is written; a bad row stops the run (row number, nothing written) unless
 * `skipBadRows`.
 */
export async function runScore(m: LoadedModel, options: ScoreOptions): Promise<ScoreSummary> {
  const { loaded, model } = m;
  const { config } = loaded;
  const file = leadsFile(loaded, options.input);
  const chunkRows = Math.max(1, Math.floor(options.chunkRows ?? 50_000));
  const configName = path.basename(loaded.file);
  const asOfNow = options.asOf ?? Date.now();
  const events = model.spec.events;
  const phases = options.phases ?? noPhases;
  const engine = model.rules?.engine;
  // The leads stream has a connection of its own: another query on it would end the stream.
  const reader = await openDuckDb();
  const conn = await openDuckDb();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'leadscore-score-'));

  let writer: TableWriter | undefined;
  try {
    // DuckDB spills to the scratch folder rather than grow with the input.
    await conn.run(`SET memory_limit = '128MB'`);
    await conn.run(`SET temp_directory = ${literal(scratch)}`);
    phases.phase('reading');
    const raw = await openRawChunks(reader, file, {});
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
    writer = await TableWriter.open(options.output, scoreColumnTypes);
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
    const skipped: BadRow[] = [];
    const warnings: string[] = [];
    let withoutEvents = 0;
    let k = 0;
    phases.phase('scoring');
    for await (const chunk of raw.chunks(read, chunkRows)) {
      const {
        frame: all,
        bad,
        warnings: said,
      } = await convertLeads(loaded, chunk, { requireLabel: false, types, only: wanted });
      warnings.push(...said);
      if (!chunked) checkDuplicates(file, all, bad);
      throwBadRows(file, bad, options.skipBadRows);
      skipped.push(...bad);
      let frame: Frame = keepGoodRows(all, bad);
      const from = split?.sourceOf(k);
      k++;
      let asOf: Float64Array | undefined;
      if (config.asOf) asOf = cutoffTimes(frame, config.asOf, configName);
      else if (events) asOf = new Float64Array(frame.rowCount).fill(asOfNow);
      let tally;
      if (config.events && asOf && frame.rowCount > 0) {
        const cutoffs = { ids: frame.ids, asOf };
        if (events) {
          const table = await batchEventAggregates(conn, config.events, events, cutoffs, from);
          for (let r = 0; r < frame.rowCount; r++) if (table.rows.count[r] === 0) withoutEvents++;
          frame = { ...frame, columns: [...frame.columns, ...aggregateFrameColumns(table, events)] };
        }
        if (engine) tally = await batchRuleTally(conn, config.events, engine, cutoffs, from);
      } else if (events) withoutEvents += frame.rowCount;
      if (frame.rowCount > 0) await writer.write(await scoreRows(model, frame, asOf, tally, options.reasons ?? 3));
      phases.count(writer.rows + skipped.length, raw.rowCount, 'leads');
      collectGarbage();
    }
    // Every row the file has is scored or reported: never a silently short output.
    if (writer.rows + skipped.length < raw.rowCount)
      throw new InvariantError(
        `runScore: ${raw.rowCount} rows in ${file} but ${writer.rows} scored and ${skipped.length} skipped`,
      );
    phases.phase('writing');
    await writer.commit();
    return { rows: writer.rows, skipped, warnings, withoutEvents: events ? withoutEvents : undefined };
  } catch (err) {
    await writer?.abort();
    throw err;
  } finally {
    reader.closeSync();
    conn.closeSync();
    rmSync(scratch, { recursive: true, force: true });
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
