import type { EventAggregateOptions } from '../../features/event-aggregates.ts';
import { ident, literal } from '../io/duckdb.ts';
import type { TallyColumns } from '../rules/tally-fold.ts';
import type { EventsViewTime } from './events-source.ts';

/**
 * The SQL half of the batch event aggregates (features/event-aggregates.ts holds the
 * definitions). DuckDB does the heavy part: one pass over the events file, joined to each
 * lead's cutoff, keeping the events before it (and, for a TIMESTAMP column, the rare one
 * within a millisecond after it), each as a few plain columns. event-fold.ts drops the
 * events at or after each cutoff exactly, then folds the rest into the aggregate columns
 * with the same arithmetic as the online engine, term by term. Aggregating in SQL was slower: a grouped aggregate
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
  /**
   * The rules' part, read in the same pass (see batchEventAggregates): the event types the rules
   * count, and the event view's columns their filters read (numeric properties and text).
   */
  rules?: { types: readonly string[]; properties: readonly string[] };
}

/**
 * A TIMESTAMP a little past `as_of` (epoch ms) that every event time counted before `as_of` is
 * under: epoch_ms truncates to whole milliseconds (towards zero), so an event whose epoch_ms is
 * under `as_of` is under ceil(as_of) + 1 ms. Events under the bound are then checked exactly.
 */
function cutoffBoundSql(asOf: string): string {
  return `CASE WHEN isfinite(${asOf}) THEN make_timestamp(((ceil(${asOf}) + 1) * 1000)::BIGINT) ELSE '-infinity'::TIMESTAMP END`;
}

/**
 * Columns of the event-rows query, in order; one property column per numeric property follows
 * (0 where absent). With `rules`, then: the rule type code (1 + index in the rules' types, 0
 * otherwise) and the columns their filters read, as they are (NULL where absent).
 */
export const eventColumns = {
  rowIdx: 0,
  /** 1 + index of the type in options.types, 0 for a type not configured. */
  typeCode: 1,
  /** The type name where typeCode is 0, else NULL. */
  otherType: 2,
  ts: 3,
  firstProperty: 4,
} as const;

/** Where the rules' columns are in the event-rows query's rows (with `rules`, see eventRowsSql). */
export function ruleColumns(options: EventAggregateOptions): TallyColumns {
  const code = eventColumns.firstProperty + options.numericProperties.length;
  return { row: eventColumns.rowIdx, code, ts: eventColumns.ts, firstProperty: code + 1 };
}

/**
 * Events before their cutoff row's as_of: (row_idx, type_code, other_type, ts,
 * property...), in no particular order. With a native TIMESTAMP column, a few events at or
 * just after as_of (under its bound, see cutoffBoundSql) come too: the fold drops every
 * event with `ts >= as_of` (EventFold). A lead with several cutoff rows gets its events once
 * per row.
 */
export function eventRowsSql(options: EventAggregateOptions, inputs: AggregateSqlInputs): string {
  const props = options.numericProperties.map((p, k) => `, coalesce(e.${ident(p)}, 0.0) AS p${k}`).join('');
  const propNames = options.numericProperties.map((_, k) => `, p${k}`).join('');
  const rules = inputs.rules;
  const ruleProps = rules?.properties.filter((p) => !options.numericProperties.includes(p)) ?? [];
  const ruleSql = rules
    ? `, list_position([${rules.types.map(literal).join(', ')}]::VARCHAR[], e.event_type) AS rule_position${rules.properties.map((p, k) => `, e.${ident(p)} AS r${k}`).join('')}`
    : '';
  const ruleNames = rules
    ? `, coalesce(rule_position, 0)::INTEGER AS rule_code${rules.properties.map((_, k) => `, r${k}`).join('')}`
    : '';
  const native = inputs.time.native;
  // A native TIMESTAMP is compared as stored with a bound computed once per cutoff (on the
  // join's build side), and converted after the join, only for the events kept. Other
  // timestamps are converted once per event, before the join.
  const ts = native ? inputs.time.msOf('e.ts_raw') : 'e.ts';
  const cutoffs = native
    ? `(SELECT *, ${cutoffBoundSql('as_of')} AS as_of_bound FROM ${inputs.cutoffs})`
    : inputs.cutoffs;
  const before = native ? 'e.ts_raw < c.as_of_bound' : 'e.ts < c.as_of';
  const eventTime = native ? 'ts_raw' : 'ts';
  const columns = [...options.numericProperties, ...ruleProps].map((p) => `, ${ident(p)}`).join('');
  // Everything per event is computed after the join, on the few events it keeps.
  return `-- Events before each cutoff (see features/event-aggregates.ts for the aggregates folded from them).
-- Inputs: ${inputs.events} (lead_id, event_type, ts_raw, properties), ${inputs.cutoffs} (row_idx, lead_id, as_of).
-- Output: row_idx, type_code (1 + configured type index, 0 otherwise), other_type (the name where type_code = 0),
--         ts, properties (0 where absent, as online)${rules ? ", rule_code (1 + index in the rules' types, 0 otherwise), the rules' filter columns" : ''}.
SELECT row_idx, coalesce(position, 0)::INTEGER AS type_code, CASE WHEN position IS NULL THEN event_type END AS other_type, ts${propNames}${ruleNames}
FROM (
  SELECT c.row_idx, e.event_type, list_position([${options.types.map(literal).join(', ')}], e.event_type) AS position, ${ts} AS ts${props}${ruleSql}
  FROM (SELECT lead_id, event_type, ${eventTime}${columns} FROM ${inputs.events}) AS e
  JOIN ${cutoffs} AS c ON e.lead_id = c.lead_id AND ${before}
)`;
}
