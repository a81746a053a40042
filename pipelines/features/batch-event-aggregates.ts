import { DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { InputError, ShapeMismatchError } from '../../features/errors.ts';
import { aggregateColumns, type EventAggregateOptions } from '../../features/event-aggregates.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import type { FrameColumn } from '../../features/frame.ts';
import type { RuleEngine } from '../../models/rules/rule-engine.ts';
import type { RuleEventTally } from '../../models/rules/rule-event-tally.ts';
import { ruleEventParts, TallyFold } from '../rules/tally-fold.ts';
import { eventRowsSql, ruleColumns } from './event-aggregates-sql.ts';
import { AggregateTable } from './aggregate-table.ts';
import { EventFold } from './event-fold.ts';

export { AggregateTable } from './aggregate-table.ts';
import { createEventsView, eventsView } from './events-source.ts';

/** Leads and the time to take each one's features at. */
export interface Cutoffs {
  ids: readonly string[];
  /** Epoch ms per lead, same order as `ids`. */
  asOf: ArrayLike<number>;
}

/** The table loadCutoffs fills: `row_idx INTEGER, lead_id VARCHAR, as_of DOUBLE` (epoch ms). */
export const cutoffsTable = 'leadscore_cutoffs';
const chunkRows = 2048;

/**
 * Computes the event aggregates of every cutoff (lead, asOf) from the events file: only
 * events strictly before each lead's asOf count. DuckDB scans the file and joins it to the
 * cutoffs (event-aggregates-sql.ts); EventFold folds the events it keeps into the columns.
 * Same values as features/eventAggregates, which the parity test checks.
 */
export async function batchEventAggregates(
  conn: DuckDBConnection,
  config: EventsConfig,
  options: EventAggregateOptions,
  cutoffs: Cutoffs,
  /** Read this DuckDB FROM expression (a chunk of the events) instead of the file. */
  from?: string,
  /** The rules' event part, counted in the same pass into `tally` (for the same cutoffs). */
  rules?: { engine: RuleEngine; tally: RuleEventTally },
): Promise<AggregateTable> {
  if (cutoffs.ids.length !== cutoffs.asOf.length)
    throw new ShapeMismatchError(
      `batchEventAggregates: ${cutoffs.ids.length} ids but ${cutoffs.asOf.length} asOf values`,
    );
  const time = await createEventsView(conn, config, from, rules?.engine.eventProperties);
  // The view has every declared numeric property (or the query fails naming it) and the text ones the file has.
  const ruleParts =
    rules &&
    ruleEventParts(rules.engine, (p) => config.numericProperties.includes(p) || time.textProperties.includes(p));
  await loadCutoffs(conn, cutoffs);
  const query = conn.run(eventRowsSql(options, { events: eventsView, cutoffs: cutoffsTable, time, rules: ruleParts }));
  // DuckDB runs the query on its own threads: meanwhile the table's memory is mapped.
  const n = cutoffs.ids.length;
  let table: AggregateTable;
  try {
    table = new AggregateTable(n, options, 1);
    table.prefault();
  } catch (err) {
    // Never leave DuckDB running a query on a connection the caller is about to close.
    await query.catch(() => undefined);
    throw err;
  }
  let result;
  try {
    result = await query;
  } catch (err) {
    throw new InputError(`${config.path}: cannot aggregate events: ${(err as Error).message.split('\n')[0]}`);
  }
  // Each event row makes at most one (row, type) pair.
  table.reservePairs(Math.min(result.rowCount, n * options.types.length));
  const fold = new EventFold(table, options, cutoffs.asOf, result.rowCount);
  const tallyFold =
    rules && new TallyFold(rules.engine, rules.tally, cutoffs.asOf, ruleParts!.properties, ruleColumns(options));
  // The result is materialised: its chunks are read in place, without a round trip each.
  for (let c = 0, count = result.chunkCount; c < count; c++) {
    const chunk = result.getChunk(c);
    fold.add(chunk);
    tallyFold?.add(chunk);
  }
  fold.finish();
  await conn.run(`DROP TABLE IF EXISTS ${cutoffsTable}`);
  return table;
}

/**
 * Loads the cutoffs into a table through the appender, a chunk at a time, writing the
 * vectors directly: numbers as one copy per column; ids as one copy too when they are short
 * ASCII (see writeInlinedIds), else one string at a time.
 */
export async function loadCutoffs(conn: DuckDBConnection, cutoffs: Cutoffs): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE ${cutoffsTable} (row_idx INTEGER, lead_id VARCHAR, as_of DOUBLE)`);
  const appender = await conn.createAppender(cutoffsTable);
  const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR, DOUBLE], chunkRows);
  const n = cutoffs.ids.length;
  const rowIdx = new Int32Array(chunkRows);
  const asOf = new Float64Array(chunkRows);
  const idBytes = new Uint8Array(chunkRows * STRING_T_BYTES);
  const ids = cutoffs.ids;
  for (let start = 0; start < n; start += chunkRows) {
    const size = Math.min(chunkRows, n - start);
    if (chunk.rowCount !== size) chunk.rowCount = size;
    for (let i = 0; i < size; i++) {
      rowIdx[i] = start + i;
      const a = cutoffs.asOf[start + i]!;
      // A cutoff that is not a finite time comes before every event.
      asOf[i] = Number.isFinite(a) ? a : -Infinity;
    }
    copyColumn(chunk, 0, rowIdx, size * 4);
    copyColumn(chunk, 2, asOf, size * 8);
    const idVector = duckdb.data_chunk_get_vector(chunk.chunk, 1);
    const long = writeInlinedIds(ids, start, size, idBytes);
    duckdb.copy_data_to_vector(idVector, 0, idBytes.buffer, 0, size * STRING_T_BYTES);
    for (const i of long) duckdb.vector_assign_string_element(idVector, i, ids[start + i]!);
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/** Bytes of a DuckDB string (duckdb_string_t in the C API). */
const STRING_T_BYTES = 16;
/** Longest string DuckDB keeps inside its duckdb_string_t. */
const INLINED_MAX = 12;

/**
 * Writes ids[start .. start+size) as inlined duckdb_string_t values (4-byte little-endian
 * length, then up to 12 bytes, zero padded: the C API's layout of short strings) into `out`,
 * so a VARCHAR vector takes them in one copy instead of one call per string. Returns the
 * positions of ids that cannot be inlined (longer than 12 bytes, or not ASCII), left zero
 * for the caller to assign one by one.
 */
function writeInlinedIds(ids: readonly string[], start: number, size: number, out: Uint8Array): number[] {
  const long: number[] = [];
  out.fill(0, 0, size * STRING_T_BYTES);
  for (let i = 0; i < size; i++) {
    const id = ids[start + i]!;
    const len = id.length;
    const at = i * STRING_T_BYTES;
    if (len > INLINED_MAX) {
      long.push(i);
      continue;
    }
    let ascii = true;
    for (let j = 0; j < len; j++) {
      const c = id.charCodeAt(j);
      if (c > 0x7f) {
        ascii = false;
        break;
      }
      out[at + 4 + j] = c;
    }
    if (!ascii) {
      out.fill(0, at, at + STRING_T_BYTES);
      long.push(i);
      continue;
    }
    out[at] = len;
  }
  return long;
}

/** Copies the first `bytes` bytes of `values` into column `column` of `chunk`. */
function copyColumn(chunk: DuckDBDataChunk, column: number, values: Int32Array | Float64Array, bytes: number): void {
  duckdb.copy_data_to_vector(
    duckdb.data_chunk_get_vector(chunk.chunk, column),
    0,
    values.buffer as ArrayBuffer,
    values.byteOffset,
    bytes,
  );
}

/** The aggregate table as frame columns (numeric with nulls, and the categorical last type), in aggregate order. */
export function aggregateFrameColumns(table: AggregateTable, options: EventAggregateOptions): FrameColumn[] {
  const byName = new Map(table.names.map((name, k) => [name, k]));
  return aggregateColumns(options).map((c): FrameColumn => {
    if (c.type === 'categorical') return { name: c.name, type: 'categorical', values: table.lastType.slice() };
    return { name: c.name, type: 'numeric', values: table.frameValues(byName.get(c.name)!) };
  });
}
