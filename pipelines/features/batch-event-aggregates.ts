import { DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { InputError } from '../../features/errors.ts';
import { aggregateColumns, type EventAggregateOptions } from '../../features/event-aggregates.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import type { FrameColumn } from '../../features/frame.ts';
import { partialAggregatesSql } from './event-aggregates-sql.ts';
import type { AggregateTable } from './aggregate-table.ts';
import { PartialFold } from './partial-fold.ts';

export type { AggregateTable } from './aggregate-table.ts';
import { createEventsView, eventsView } from './events-source.ts';

/** Leads and the time to take each one's features at. */
export interface Cutoffs {
  ids: readonly string[];
  /** Epoch ms per lead, same order as `ids`. */
  asOf: ArrayLike<number>;
}

const cutoffsTable = 'leadscore_cutoffs';
const chunkRows = 2048;

/**
 * Computes the event aggregates of every cutoff (lead, asOf) in DuckDB from the events file:
 * only events strictly before each lead's asOf count. Same values as features/
 * eventAggregates, which the parity test checks.
 */
export async function batchEventAggregates(
  conn: DuckDBConnection,
  config: EventsConfig,
  options: EventAggregateOptions,
  cutoffs: Cutoffs,
): Promise<AggregateTable> {
  if (cutoffs.ids.length !== cutoffs.asOf.length) throw new Error(`batchEventAggregates: ${cutoffs.ids.length} ids but ${cutoffs.asOf.length} asOf values`);
  await createEventsView(conn, config);
  await loadCutoffs(conn, cutoffs);
  const n = cutoffs.ids.length;
  const numeric = aggregateColumns(options).filter((c) => c.type === 'numeric');
  const table: AggregateTable = {
    rowCount: n,
    names: numeric.map((c) => c.name),
    // Rows without events keep these: nothing counted, no recency.
    numeric: numeric.map((c) => new Float64Array(n).fill(c.measure.kind === 'days_since_last' || c.measure.kind === 'days_since_first' ? NaN : 0)),
    lastType: new Array<string | null>(n).fill(null),
  };
  let result;
  try {
    result = await conn.run(partialAggregatesSql(options, { events: eventsView, cutoffs: cutoffsTable }));
  } catch (err) {
    throw new InputError(`${config.path}: cannot aggregate events: ${(err as Error).message.split('\n')[0]}`);
  }
  const fold = new PartialFold(table, options, cutoffs.asOf);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    fold.add(chunk);
  }
  fold.finish();
  await conn.run(`DROP TABLE IF EXISTS ${cutoffsTable}`);
  return table;
}

/** Loads the cutoffs into a temporary table through the appender, a chunk at a time. */
async function loadCutoffs(conn: DuckDBConnection, cutoffs: Cutoffs): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE ${cutoffsTable} (row_idx INTEGER, lead_id VARCHAR, as_of DOUBLE)`);
  const appender = await conn.createAppender(cutoffsTable);
  const chunk = DuckDBDataChunk.create([INTEGER, VARCHAR, DOUBLE], chunkRows);
  const n = cutoffs.ids.length;
  for (let start = 0; start < n; start += chunkRows) {
    const size = Math.min(chunkRows, n - start);
    if (chunk.rowCount !== size) chunk.rowCount = size;
    const idx: DuckDBValue[] = new Array(size);
    const ids: DuckDBValue[] = new Array(size);
    const asOf: DuckDBValue[] = new Array(size);
    for (let i = 0; i < size; i++) {
      idx[i] = start + i;
      ids[i] = cutoffs.ids[start + i]!;
      const a = cutoffs.asOf[start + i]!;
      asOf[i] = Number.isFinite(a) ? a : null;
    }
    chunk.setColumnValues(0, idx);
    chunk.setColumnValues(1, ids);
    chunk.setColumnValues(2, asOf);
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/** The aggregate table as frame columns (numeric with nulls, and the categorical last type), in aggregate order. */
export function aggregateFrameColumns(table: AggregateTable, options: EventAggregateOptions): FrameColumn[] {
  const byName = new Map(table.names.map((name, k) => [name, table.numeric[k]!]));
  return aggregateColumns(options).map((c): FrameColumn => {
    if (c.type === 'categorical') return { name: c.name, type: 'categorical', values: table.lastType.slice() };
    const values = byName.get(c.name)!;
    const out = new Array<number | null>(values.length);
    for (let i = 0; i < values.length; i++) out[i] = Number.isNaN(values[i]!) ? null : values[i]!;
    return { name: c.name, type: 'numeric', values: out };
  });
}
