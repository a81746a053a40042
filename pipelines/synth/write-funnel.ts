import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { literal, openDuckDb } from '../io/duckdb.ts';
import * as m from './funnel-model.ts';
import { generateFunnel, rawTables, type FunnelCounts, type FunnelOptions } from './generate-funnel.ts';

/** Options of `writeSyntheticFunnel`. */
export interface WriteFunnelOptions extends FunnelOptions {
  /** Output folder (created when absent). */
  out: string;
  /** Also write CSV copies of every file. Default false. */
  csv?: boolean;
}

/** What was written. */
export interface WrittenFunnel extends FunnelCounts {
  files: string[];
}

const list = (values: readonly string[]) => `[${values.map(literal).join(', ')}]`;
const names = (levels: readonly m.Level[]) => list(levels.map((l) => l.name));
const nanToNull = (c: string) => `CASE WHEN isnan(${c}) THEN NULL ELSE ${c} END`;

/**
 * Writes the synthetic funnel to `out`: leads.parquet (lead_id, created_at, firmographics,
 * email), events.parquet (lead_id, event_type, ts, seconds), outcomes.parquet (lead_id,
 * status won/lost, closed_at) and truth.parquet (lead_id, intent, win_probability: for
 * checks only, never a feature). With `csv`, .csv copies as well.
 */
export async function writeSyntheticFunnel(options: WriteFunnelOptions): Promise<WrittenFunnel> {
  mkdirSync(options.out, { recursive: true });
  const conn = await openDuckDb();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    const counts = await generateFunnel(conn, options);
    const leadId = `'L' || lpad(CAST(lead AS VARCHAR), 7, '0')`;
    const ts = (c: string) => `epoch_ms(CAST(${c} AS BIGINT))`;
    const queries: Record<string, string> = {
      leads: `SELECT ${leadId} AS lead_id, ${ts('created')} AS created_at,
          (${names(m.industries)})[industry + 1] AS industry,
          (${names(m.countries)})[country + 1] AS country,
          CASE WHEN title < 0 THEN NULL ELSE (${names(m.jobTitles)})[title + 1] END AS job_title,
          (${names(m.sources)})[source + 1] AS source,
          CAST(${nanToNull('employees')} AS INTEGER) AS employees,
          (${list(m.firstNames)})[first + 1] || '.' || (${list(m.lastNames)})[last + 1] || '@' ||
            CASE WHEN free > 0 THEN (${list(m.freeMail)})[free] ELSE (${list(m.companyWords)})[word + 1] || (${list(m.companySuffixes)})[suffix + 1] || '.com' END AS email
        FROM ${rawTables.leads} ORDER BY lead`,
      events: `SELECT ${leadId} AS lead_id, (${list(m.eventTypes.map((t) => t.name))})[type + 1] AS event_type, ${ts('ts')} AS ts,
          ${nanToNull('seconds')} AS seconds
        FROM ${rawTables.events}`,
      outcomes: `SELECT ${leadId} AS lead_id, CASE WHEN won = 1 THEN 'won' ELSE 'lost' END AS status, ${ts('closed')} AS closed_at
        FROM ${rawTables.outcomes} ORDER BY lead`,
      truth: `SELECT ${leadId} AS lead_id, intent, p AS win_probability FROM ${rawTables.leads} ORDER BY lead`,
    };
    const files: string[] = [];
    for (const [name, sql] of Object.entries(queries)) {
      for (const format of options.csv ? ['parquet', 'csv'] : ['parquet']) {
        const file = path.join(options.out, `${name}.${format}`);
        const how = format === 'parquet' ? `(FORMAT parquet, COMPRESSION zstd)` : `(FORMAT csv, HEADER true)`;
        await conn.run(`COPY (${sql}) TO ${literal(file)} ${how}`);
        files.push(file);
      }
    }
    return { ...counts, files };
  } finally {
    conn.closeSync();
  }
}
