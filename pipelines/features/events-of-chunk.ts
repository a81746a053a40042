import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventAggregateOptions } from '../../features/event-aggregates.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import type { Frame } from '../../features/frame.ts';
import type { RuleEngine } from '../../models/rules/rule-engine.ts';
import { RuleEventTally } from '../../models/rules/rule-event-tally.ts';
import { batchRuleTally } from '../rules/batch-rule-tally.ts';
import { aggregateFrameColumns, batchEventAggregates } from './batch-event-aggregates.ts';

/** What the events give a chunk of leads. */
export interface EventsOfChunk {
  /** The chunk's frame with the event aggregate columns appended (when aggregates are asked for). */
  frame: Frame;
  /** Leads of the chunk without any event before their cutoff (0 when no aggregates are asked for). */
  withoutEvents: number;
  /** The rules' event part, when an engine is given and there are events and times. */
  tally?: RuleEventTally;
}

/**
 * The event part of a chunk of leads, each lead as of its `asOf`: the aggregates (features)
 * and the rules' tally, read from `from` (the chunk's events, see LeadChunks) or the whole
 * events file; with both, in one pass over the events. Without an events file or times,
 * every lead counts as without events.
 */
export async function eventsOfChunk(
  conn: DuckDBConnection,
  frame: Frame,
  asOf: Float64Array | undefined,
  parts: {
    config: EventsConfig | undefined;
    aggregates: EventAggregateOptions | undefined;
    engine?: RuleEngine;
    from?: string;
  },
): Promise<EventsOfChunk> {
  const { config, aggregates, engine, from } = parts;
  if (!config || !asOf || frame.rowCount === 0) return { frame, withoutEvents: aggregates ? frame.rowCount : 0 };
  const cutoffs = { ids: frame.ids, asOf };
  let withoutEvents = 0;
  let out = frame;
  let tally: RuleEventTally | undefined;
  if (aggregates) {
    // The rules' events are counted in the aggregates' pass when they count any.
    tally = engine && new RuleEventTally(engine, frame.rowCount);
    const rules =
      engine && (engine.eventRulesByType.size > 0 || engine.usesLastEvent) ? { engine, tally: tally! } : undefined;
    const table = await batchEventAggregates(conn, config, aggregates, cutoffs, from, rules);
    withoutEvents = table.withoutEvents();
    out = { ...frame, columns: [...frame.columns, ...aggregateFrameColumns(table, aggregates)] };
  } else if (engine) tally = await batchRuleTally(conn, config, engine, cutoffs, from);
  return { frame: out, withoutEvents, tally };
}
