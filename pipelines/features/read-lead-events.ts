import type { DuckDBConnection } from '@duckdb/node-api';
import type { EventAggregateOptions } from '../../features/event-aggregates.ts';
import type { EngagementEvent } from '../../features/events.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import { ident, literal } from '../io/duckdb.ts';
import { createEventsView, eventsView } from './events-source.ts';

/**
 * Every event of the given leads (all leads when `leadIds` is absent) as EngagementEvents,
 * grouped by lead id: the input of the online engine, e.g. to seed online state or to
 * check batch results against it. Reads through the same normalised view as the batch SQL.
 */
export async function readLeadEvents(
  conn: DuckDBConnection,
  config: EventsConfig,
  options: EventAggregateOptions,
  leadIds?: readonly string[],
): Promise<Map<string, EngagementEvent[]>> {
  await createEventsView(conn, config);
  const props = config.numericProperties;
  const where = leadIds ? `WHERE lead_id IN (SELECT unnest([${leadIds.map(literal).join(', ')}]::VARCHAR[]))` : '';
  const propCols = props.map((p) => `, ${ident(p)}`).join('');
  const reader = await conn.runAndReadAll(`SELECT lead_id, event_type, ts${propCols} FROM ${eventsView} ${where}`);
  const columns = reader.getColumnsJS() as unknown[][];
  const out = new Map<string, EngagementEvent[]>();
  const ids = columns[0] as string[];
  for (let i = 0; i < ids.length; i++) {
    const properties: Record<string, number> = {};
    props.forEach((p, k) => {
      const v = columns[3 + k]![i];
      if (typeof v === 'number' && Number.isFinite(v)) properties[p] = v;
    });
    const event: EngagementEvent = { leadId: ids[i]!, type: String(columns[1]![i]), at: Number(columns[2]![i]) };
    if (props.length > 0) event.properties = properties;
    const list = out.get(event.leadId);
    if (list) list.push(event);
    else out.set(event.leadId, [event]);
  }
  return out;
}
