import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../../features/errors.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import { ident, literal, queryRows } from '../io/duckdb.ts';
import { strptimeFormat } from '../io/parse-values.ts';
import { readError } from '../io/read-error.ts';
import { assertReadable, tableSourceSql } from '../io/table-source.ts';
import { preparePostgresSource } from '../io/postgres-source.ts';

/** Temporary view of the events file, normalised for the aggregate query. */
export const eventsView = 'leadscore_events';

/** The events file as DuckDB sees it: its table SQL, column types and the required columns, quoted. */
export interface EventsSource {
  source: string;
  types: Map<string, string>;
  /** A column of the file, quoted; an InputError naming the config key when absent. */
  need: (name: string, key: string) => string;
  lead: string;
  type: string;
  ts: string;
  /** Epoch milliseconds (DOUBLE) of the timestamp column. */
  tsMs: string;
}

/**
 * Describes the events file of `config` on `conn` (session time zone UTC) and checks its
 * lead id, type and timestamp columns. Missing columns are InputErrors naming the key.
 * `from`, a DuckDB FROM expression with the file's columns, is read instead of the file
 * when given (a chunk of it: see event-chunks.ts).
 */
export async function describeEventsSource(
  conn: DuckDBConnection,
  config: EventsConfig,
  from?: string,
): Promise<EventsSource> {
  if (from === undefined) {
    await preparePostgresSource(config.path);
    assertReadable(config.path, config.glob);
  }
  await conn.run(`SET TimeZone = 'UTC'`);
  const textColumns = config.timestampFormat ? [config.timestampColumn] : [];
  const source =
    from ?? tableSourceSql(config.path, config.format, { glob: config.glob, encoding: config.encoding, textColumns });
  let described: Record<string, unknown>[];
  try {
    described = await queryRows(conn, `DESCRIBE SELECT * FROM ${source}`);
  } catch (err) {
    throw readError(config.path, 'cannot read events', err);
  }
  const types = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
  const need = (name: string, key: string) => {
    if (!types.has(name))
      throw new InputError(
        `${config.path}: column "${name}" not found (events.${key}); columns: ${[...types.keys()].join(', ')}`,
      );
    return ident(name);
  };
  const lead = need(config.leadIdColumn, 'leadIdColumn');
  const type = need(config.typeColumn, 'typeColumn');
  const ts = need(config.timestampColumn, 'timestampColumn');
  return {
    source,
    types,
    need,
    lead,
    type,
    ts,
    tsMs: timestampMsSql(ts, types.get(config.timestampColumn)!, config.timestampFormat),
  };
}

/** How the events view's timestamps can be compared with a cutoff (see createEventsView). */
export interface EventsViewTime {
  /** SQL of the epoch milliseconds (DOUBLE) of a `ts_raw` column reference, e.g. `e.ts_raw`. */
  msOf: (column: string) => string;
  /**
   * True when `ts_raw` is a plain TIMESTAMP, so a query can first compare it as it is stored
   * (no conversion per event) with a TIMESTAMP bound a little past the cutoff, and convert only
   * the events that pass.
   */
  native: boolean;
}

/**
 * Creates the temporary view `leadscore_events(lead_id VARCHAR, event_type VARCHAR,
 * ts DOUBLE epoch ms, ts_raw (the file's column as it is), <numeric properties> DOUBLE,
 * <text properties> VARCHAR)` over the events file (or `from`, see describeEventsSource).
 * Timestamps may be TIMESTAMP / DATE / TIMESTAMPTZ columns, ISO text (UTC unless an offset is
 * given) or numbers (epoch ms). Missing columns are InputErrors naming the key; of
 * `textProperties` (other columns rule filters read), those the file lacks are left out
 * (the returned `textProperties` are those the view has).
 */
export async function createEventsView(
  conn: DuckDBConnection,
  config: EventsConfig,
  from?: string,
  textProperties: readonly string[] = [],
): Promise<EventsViewTime & { textProperties: string[] }> {
  const { source, types, need, lead, type, ts, tsMs } = await describeEventsSource(conn, config, from);
  const text = textProperties.filter((p) => types.has(p) && !config.numericProperties.includes(p));
  const props = [
    ...config.numericProperties.map((p) => `, TRY_CAST(${need(p, 'numericProperties')} AS DOUBLE) AS ${ident(p)}`),
    ...text.map((p) => `, CAST(${ident(p)} AS VARCHAR) AS ${ident(p)}`),
  ].join('');
  await conn.run(`CREATE OR REPLACE TEMP VIEW ${eventsView} AS
    SELECT CAST(${lead} AS VARCHAR) AS lead_id, CAST(${type} AS VARCHAR) AS event_type, ${tsMs} AS ts, ${ts} AS ts_raw${props}
    FROM ${source}
    WHERE ${lead} IS NOT NULL AND ${type} IS NOT NULL AND ${ts} IS NOT NULL`);
  const tsType = types.get(config.timestampColumn)!;
  return {
    msOf: (column) => timestampMsSql(column, tsType, config.timestampFormat),
    native: tsType.toUpperCase() === 'TIMESTAMP',
    textProperties: text,
  };
}

/**
 * SQL giving epoch milliseconds (DOUBLE) of a timestamp column of DuckDB type `type`; text
 * written in `format` (column-format syntax) is parsed with it, a value that does not fit
 * failing the query with the value named.
 */
export function timestampMsSql(column: string, type: string, format?: string): string {
  const t = type.toUpperCase();
  if (format && t === 'VARCHAR')
    return `epoch_ms(strptime(trim(${column}), ${literal(strptimeFormat(format))}))::DOUBLE`;
  if (t === 'TIMESTAMP WITH TIME ZONE') return `epoch_ms(${column})::DOUBLE`;
  if (t.startsWith('TIMESTAMP') || t === 'DATE') return `epoch_ms(CAST(${column} AS TIMESTAMP))::DOUBLE`;
  if (t === 'VARCHAR') return `epoch_ms(CAST(${column} AS TIMESTAMPTZ))::DOUBLE`;
  return `CAST(${column} AS DOUBLE)`;
}
