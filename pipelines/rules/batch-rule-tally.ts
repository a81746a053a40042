import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../../features/errors.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import type { RuleEngine } from '../../models/rules/rule-engine.ts';
import { RuleEventTally } from '../../models/rules/rule-event-tally.ts';
import { cutoffsTable, loadCutoffs, type Cutoffs } from '../features/batch-event-aggregates.ts';
import { describeEventsSource } from '../features/events-source.ts';
import { ident, literal, openDuckDb } from '../io/duckdb.ts';
import { ruleEventParts, TallyFold } from './tally-fold.ts';

/**
 * The event part of the rules for every cutoff (lead, asOf), computed the way the event
 * aggregates are: DuckDB keeps each lead's events strictly before its asOf (only the types
 * the rules count, unless linear decay needs every latest event), as typed columns, and the
 * engine's own per-event step folds them into a RuleEventTally. No object per event; the
 * events of leads not among the cutoffs are never read into JavaScript.
 *
 * Properties the rules filter on come along: numeric properties as numbers, other columns
 * as text; a property the file lacks is absent, so its filters never match (as online).
 */
export async function batchRuleTally(
  conn: DuckDBConnection,
  config: EventsConfig,
  engine: RuleEngine,
  cutoffs: Cutoffs,
  /** Read this DuckDB FROM expression (a chunk of the events) instead of the file. */
  from?: string,
): Promise<RuleEventTally> {
  const tally = new RuleEventTally(engine, cutoffs.ids.length);
  if (cutoffs.ids.length === 0 || (engine.eventRulesByType.size === 0 && !engine.usesLastEvent)) return tally;
  const { source, types: columnTypes, need, lead, type, ts, tsMs } = await describeEventsSource(conn, config, from);
  // A declared numeric property the file lacks is a config error, as for the event aggregates.
  for (const p of config.numericProperties) need(p, 'numericProperties');
  const { types, properties } = ruleEventParts(engine, (p) => columnTypes.has(p));
  const propertySql = properties.map((p) =>
    config.numericProperties.includes(p) ? `TRY_CAST(${ident(p)} AS DOUBLE)` : `CAST(${ident(p)} AS VARCHAR)`,
  );
  const typeList = `[${types.map(literal).join(', ')}]::VARCHAR[]`;
  await loadCutoffs(conn, cutoffs);
  const sql = `-- Events before each cutoff, for the rules (models/rules/rule-engine.ts counts them).
-- Inputs: the events file, ${cutoffsTable} (row_idx, lead_id, as_of). Output: row_idx, rule type code
-- (1 + index in the rules' types, 0 otherwise), ts (epoch ms), the properties the rules filter on.
SELECT c.row_idx, coalesce(list_position(${typeList}, e.event_type), 0)::INTEGER AS code, e.ts${properties.map((_, k) => `, e.p${k}`).join('')}
FROM (
  SELECT CAST(${lead} AS VARCHAR) AS lead_id, CAST(${type} AS VARCHAR) AS event_type, ${tsMs} AS ts${propertySql.map((sql, k) => `, ${sql} AS p${k}`).join('')}
  FROM ${source}
  WHERE ${lead} IS NOT NULL AND ${type} IS NOT NULL AND ${ts} IS NOT NULL${engine.usesLastEvent ? '' : ` AND list_contains(${typeList}, CAST(${type} AS VARCHAR))`}
) e
JOIN ${cutoffsTable} c ON e.lead_id = c.lead_id AND e.ts < c.as_of`;
  let result;
  try {
    result = await conn.stream(sql);
  } catch (err) {
    throw new InputError(`${config.path}: cannot read events for the rules: ${(err as Error).message.split('\n')[0]}`);
  }
  const fold = new TallyFold(engine, tally, cutoffs.asOf, properties, { row: 0, code: 1, ts: 2, firstProperty: 3 });
  try {
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      fold.add(chunk);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${config.path}: cannot read events for the rules: ${(err as Error).message.split('\n')[0]}`);
  }
  await conn.run(`DROP TABLE IF EXISTS ${cutoffsTable}`);
  return tally;
}

/**
 * `batchRuleTally` on a connection of its own, for the leads `ids` as of `asOf` (one time for
 * all or one per lead); undefined when there is nothing to count (no events, no rules, or no
 * time to count them before).
 */
export async function ruleTallyFor(
  events: EventsConfig | undefined,
  engine: RuleEngine | undefined,
  ids: readonly string[],
  asOf: number | ArrayLike<number> | undefined,
): Promise<RuleEventTally | undefined> {
  if (!events || !engine || asOf === undefined) return undefined;
  const times = typeof asOf === 'number' ? new Float64Array(ids.length).fill(asOf) : asOf;
  const conn = await openDuckDb();
  try {
    return await batchRuleTally(conn, events, engine, { ids, asOf: times });
  } finally {
    conn.closeSync();
  }
}
