import type { DuckDBConnection } from '@duckdb/node-api';
import type { EngagementEvent } from '../../features/events.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import { ident, literal } from '../io/duckdb.ts';
import { createEventsView, eventsView } from './events-source.ts';

/** Which events readLeadEvents reads, and which of their properties. */
export interface ReadLeadEventsOptions {
  /** Only these leads' events. Default: every lead's. */
  leadIds?: readonly string[];
  /** Columns besides the numeric properties that rule filters read (`where: { page: ... }`), kept as text. */
  textProperties?: readonly string[];
}

/**
 * Every event of the given leads as EngagementEvents, grouped by lead id: the input of the
 * online engines, e.g. to seed online state or to check batch results against it. Reads
 * through the same normalised view as the batch SQL. Numeric properties are kept when finite,
 * text properties when present; a column the file lacks is absent, as in the batch rule tally.
 */
export async function readLeadEvents(
  conn: DuckDBConnection,
  config: EventsConfig,
  options: ReadLeadEventsOptions = {},
): Promise<Map<string, EngagementEvent[]>> {
  const { textProperties } = await createEventsView(conn, config, undefined, options.textProperties);
  const props = [...config.numericProperties, ...textProperties];
  const { leadIds } = options;
  const where = leadIds ? `WHERE lead_id IN (SELECT unnest([${leadIds.map(literal).join(', ')}]::VARCHAR[]))` : '';
  const propCols = props.map((p) => `, ${ident(p)}`).join('');
  const reader = await conn.runAndReadAll(`SELECT lead_id, event_type, ts${propCols} FROM ${eventsView} ${where}`);
  const columns = reader.getColumnsJS() as unknown[][];
  const out = new Map<string, EngagementEvent[]>();
  const ids = columns[0] as string[];
  for (let i = 0; i < ids.length; i++) {
    const properties: Record<string, number | string> = {};
    props.forEach((p, k) => {
      const v = columns[3 + k]![i];
      if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string') properties[p] = v;
    });
    const event: EngagementEvent = { leadId: ids[i]!, type: String(columns[1]![i]), at: Number(columns[2]![i]) };
    // Text properties ride along for rule filters; the shared event schema declares numeric ones.
    if (props.length > 0) event.properties = properties as Record<string, number>;
    const list = out.get(event.leadId);
    if (list) list.push(event);
    else out.set(event.leadId, [event]);
  }
  return out;
}
