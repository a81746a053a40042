import type { EventsConfig } from '../../features/feature-config.ts';
import type { KnownNames } from '../../models/rules/check-rule-names.ts';
import { describeEventsSource } from '../features/events-source.ts';
import { openDuckDb, queryRows } from '../io/duckdb.ts';
import type { PreparedData } from '../train/prepare-data.ts';

/** The columns and event types prepared data has, for checking the names a rules file uses. */
export async function knownNames(data: Pick<PreparedData, 'frame' | 'eventsConfig'>): Promise<KnownNames> {
  return {
    source: data.frame.source,
    columns: data.frame.columns.map((c) => c.name),
    eventTypes: data.eventsConfig ? await eventTypesIn(data.eventsConfig) : undefined,
  };
}

/** The distinct event types of an events file, counted by DuckDB (no event is read into JavaScript). */
export async function eventTypesIn(config: EventsConfig): Promise<Set<string>> {
  const conn = await openDuckDb();
  try {
    const { source, type } = await describeEventsSource(conn, config);
    const rows = await queryRows(
      conn,
      `SELECT DISTINCT CAST(${type} AS VARCHAR) AS t FROM ${source} WHERE ${type} IS NOT NULL`,
    );
    return new Set(rows.map((r) => String(r.t)));
  } finally {
    conn.closeSync();
  }
}
