import { DAY_MS, type EventAggregateOptions } from '../../features/event-aggregates.ts';
import { ident, literal } from '../io/duckdb.ts';
import type { EventsViewTime } from './events-source.ts';

/**
 * The SQL half of the batch event aggregates (features/event-aggregates.ts holds the
 * definitions). DuckDB does the heavy part: one pass over the events file, joined to each
 * lead's cutoff, keeping only the events strictly before it, each as a few plain columns.
 * event-fold.ts then folds those rows into the aggregate columns with the same arithmetic
 * as the online engine, term by term. Aggregating in SQL was slower: a grouped aggregate
 * per cutoff row (one filtered aggregate per output, or partials per event type) costs
 * several times the scan and join, while the rows before the cutoffs are few and folding
 * them is a tight loop over typed columns.
 */

/** Relations the query reads (created by batch-event-aggregates.ts). */
export interface AggregateSqlInputs {
  /** Events: `lead_id VARCHAR, event_type VARCHAR, ts DOUBLE (epoch ms)`, plus one DOUBLE column per numeric property. */
  events: string;
  /** Cutoffs: `row_idx INTEGER, lead_id VARCHAR, as_of DOUBLE (epoch ms)`. */
  cutoffs: string;
  /** How the events' `ts_raw` compares with the cutoffs (createEventsView). */
  time: EventsViewTime;
}

/**
 * A TIMESTAMP a little past `as_of` (epoch ms) that every event time counted before `as_of` is
 * under: epoch_ms truncates to whole milliseconds (towards zero), so an event whose epoch_ms is
 * under `as_of` is under ceil(as_of) + 1 ms. Events under the bound are then checked exactly.
 */
function cutoffBoundSql(asOf: string): string {
  return `CASE WHEN isfinite(${asOf}) THEN make_timestamp(((ceil(${asOf}) + 1) * 1000)::BIGINT) ELSE '-infinity'::TIMESTAMP END`;
}

/** Columns of the event-rows query, in order; one property column per numeric property follows (0 where absent). */
export const eventColumns = {
  rowIdx: 0,
  /** 1 + index of the type in options.types, 0 for a type not configured. */
  typeCode: 1,
  /** The type name where typeCode is 0, else NULL. */
  otherType: 2,
  ts: 3,
  /** `2 ** (-((as_of - ts) / DAY_MS) / halfLifeDays)`, the event's decayed weight. */
  decay: 4,
  firstProperty: 5,
} as const;

/**
 * Events strictly before their cutoff row's as_of: (row_idx, type_code, other_type, ts,
 * decay, property...), in no particular order. A lead with several cutoff rows gets its events
 * once per row.
 */
export function eventRowsSql(options: EventAggregateOptions, inputs: AggregateSqlInputs): string {
  const code = `coalesce(list_position([${options.types.map(literal).join(', ')}], e.event_type), 0)`;
  const props = options.numericProperties.map((p, k) => `, coalesce(e.${ident(p)}, 0.0) AS p${k}`).join('');
  const propColumns = options.numericProperties.map((_, k) => `, p${k}`).join('');
  // The view's ts converts every event; converting ts_raw after the join converts only those
  // joined, and with a native bound only those near or before their cutoff.
  const ts = inputs.time.msOf('e.ts_raw');
  // The bound is computed once per cutoff, on the join's build side.
  const cutoffs = inputs.time.native ? `(SELECT *, ${cutoffBoundSql('as_of')} AS as_of_bound FROM ${inputs.cutoffs})` : inputs.cutoffs;
  const where = inputs.time.native ? `e.ts_raw < c.as_of_bound AND ${ts} < c.as_of` : `${ts} < c.as_of`;
  // Term by term as features/eventAggregates: Math.pow(2, -((asOf - at) / DAY_MS) / halfLifeDays).
  const decay = `pow(2.0, -((as_of - ts) / ${DAY_MS}.0) / ${options.halfLifeDays}::DOUBLE)`;
  return `-- Events before each cutoff (see features/event-aggregates.ts for the aggregates folded from them).
-- Inputs: ${inputs.events} (lead_id, event_type, ts_raw, properties), ${inputs.cutoffs} (row_idx, lead_id, as_of).
-- Output: row_idx, type_code (1 + configured type index, 0 otherwise), other_type (the name where type_code = 0),
--         ts, decay (the event's decayed weight at as_of), properties (0 where absent, as online).
SELECT row_idx, type_code, CASE WHEN type_code = 0 THEN event_type END AS other_type, ts, ${decay} AS decay${propColumns}
FROM (
  SELECT c.row_idx, c.as_of, (${code})::INTEGER AS type_code, e.event_type, ${ts} AS ts${props}
  FROM ${inputs.events} AS e
  JOIN ${cutoffs} AS c ON e.lead_id = c.lead_id
  WHERE ${where}
)`;
}
