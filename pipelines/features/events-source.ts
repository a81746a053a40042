import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../../features/errors.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import { ident, queryRows } from '../io/duckdb.ts';
import { assertReadable, tableSourceSql } from '../io/table-source.ts';

/** Temporary view of the events file, normalised for the aggregate query. */
export const eventsView = 'leadscore_events';

/**
 * Creates the temporary view `leadscore_events(lead_id VARCHAR, event_type VARCHAR,
 * ts DOUBLE epoch ms, <numeric properties> DOUBLE)` over the events
 * file. Timestamps may be TIMESTAMP / DATE / TIMESTAMPTZ columns, ISO text (UTC unless an
 * offset is given) or numbers (epoch ms). Missing columns are InputErrors naming the key.
 */
export async function createEventsView(conn: DuckDBConnection, config: EventsConfig): Promise<void> {
  assertReadable(config.path);
  await conn.run(`SET TimeZone = 'UTC'`);
  const source = tableSourceSql(config.path, config.format);
  let described: Record<string, unknown>[];
  try {
    described = await queryRows(conn, `DESCRIBE SELECT * FROM ${source}`);
  } catch (err) {
    throw new InputError(`${config.path}: cannot read events: ${(err as Error).message.split('\n')[0]}`);
  }
  const types = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
  const need = (name: string, key: string) => {
    if (!types.has(name)) throw new InputError(`${config.path}: column "${name}" not found (events.${key}); columns: ${[...types.keys()].join(', ')}`);
    return ident(name);
  };
  const lead = need(config.leadIdColumn, 'leadIdColumn');
  const type = need(config.typeColumn, 'typeColumn');
  const ts = need(config.timestampColumn, 'timestampColumn');
  const props = config.numericProperties.map((p) => `, TRY_CAST(${need(p, 'numericProperties')} AS DOUBLE) AS ${ident(p)}`).join('');
  const tsExpr = timestampMsSql(ts, types.get(config.timestampColumn)!);
  await conn.run(`CREATE OR REPLACE TEMP VIEW ${eventsView} AS
    SELECT CAST(${lead} AS VARCHAR) AS lead_id, CAST(${type} AS VARCHAR) AS event_type, ${tsExpr} AS ts${props}
    FROM ${source}
    WHERE ${lead} IS NOT NULL AND ${type} IS NOT NULL AND ${ts} IS NOT NULL`);
}

/** SQL giving epoch milliseconds (DOUBLE) of a timestamp column of DuckDB type `type`. */
export function timestampMsSql(column: string, type: string): string {
  const t = type.toUpperCase();
  if (t === 'TIMESTAMP WITH TIME ZONE') return `epoch_ms(${column})::DOUBLE`;
  if (t.startsWith('TIMESTAMP') || t === 'DATE') return `epoch_ms(CAST(${column} AS TIMESTAMP))::DOUBLE`;
  if (t === 'VARCHAR') return `epoch_ms(CAST(${column} AS TIMESTAMPTZ))::DOUBLE`;
  return `CAST(${column} AS DOUBLE)`;
}
