import { DAY_MS, type EventAggregateOptions } from '../../features/event-aggregates.ts';
import { ident } from '../io/duckdb.ts';

/**
 * The SQL half of the batch event aggregates (features/event-aggregates.ts holds the
 * definitions). DuckDB does the heavy part, one pass over the events joined to each lead's
 * cutoff: per (row, event type) the partial aggregates that need each event's time
 * relative to asOf; per row the distinct active days. batch-event-aggregates.ts folds the
 * partials into the final columns with the same arithmetic as the online engine. A wide
 * pivot in SQL (one filtered aggregate per output) was 20 times slower: every filtered
 * aggregate scatters into a wide per-group state.
 */

/** Relations the query reads (created by batch-event-aggregates.ts). */
export interface AggregateSqlInputs {
  /** Events: `lead_id VARCHAR, event_type VARCHAR, ts DOUBLE (epoch ms)`, plus one DOUBLE column per numeric property. */
  events: string;
  /** Cutoffs: `row_idx INTEGER, lead_id VARCHAR, as_of DOUBLE (epoch ms)`. */
  cutoffs: string;
}

/** Columns of the partial-aggregates query, in order. */
export const partialColumns = {
  rowIdx: 0,
  eventType: 1,
  count: 2,
  /** Then one count per window, then max ts, min ts, decayed sum, one sum per property. */
  firstWindow: 3,
} as const;

const days = `${DAY_MS}.0`;

/**
 * Partial aggregates, two kinds of rows told apart by `event_type`:
 * - (row_idx, event_type, n, n per window..., max_ts, min_ts, decayed, sum per property...)
 *   for each event type a row has events of strictly before its as_of;
 * - (row_idx, NULL, active_days, NULL...) once per row with events.
 * Each expression mirrors the TypeScript term by term so both engines give the same doubles.
 */
export function partialAggregatesSql(options: EventAggregateOptions, inputs: AggregateSqlInputs): string {
  const windows = options.windowsDays.map((w, k) => `count(*) FILTER (WHERE ts >= (as_of - ${w} * ${days}))::DOUBLE AS n${k}`);
  const props = options.numericProperties.map((_, k) => `sum(coalesce(p${k}, 0.0)) AS s${k}`);
  const propSelect = options.numericProperties.map((p, k) => `, e.${ident(p)} AS p${k}`).join('');
  const nulls = (n: number) => Array.from({ length: n }, () => 'NULL').join(', ');
  const width = options.windowsDays.length + 3 + options.numericProperties.length;
  return `-- Partial event aggregates per cutoff row (see features/event-aggregates.ts for the definitions).
-- Inputs: ${inputs.events} (lead_id, event_type, ts, properties), ${inputs.cutoffs} (row_idx, lead_id, as_of).
-- Output: row_idx, event_type, count, counts per window, max ts, min ts, decayed sum, property sums;
--         and per row a line with event_type NULL holding the distinct active days.
WITH j AS MATERIALIZED (
  SELECT c.row_idx, c.as_of, e.event_type, e.ts${propSelect}
  FROM ${inputs.events} AS e
  JOIN ${inputs.cutoffs} AS c ON e.lead_id = c.lead_id
  WHERE e.ts < c.as_of
)
SELECT row_idx, event_type, count(*)::DOUBLE AS n,
  ${[...windows, 'max(ts) AS max_ts', 'min(ts) AS min_ts', `sum(pow(2.0, -((as_of - ts) / ${days}) / ${options.halfLifeDays}::DOUBLE)) AS decayed`, ...props].join(',\n  ')}
FROM j GROUP BY row_idx, event_type
UNION ALL
SELECT row_idx, NULL, count(DISTINCT floor(ts / ${days}))::DOUBLE, ${nulls(width)}
FROM j GROUP BY row_idx`;
}
