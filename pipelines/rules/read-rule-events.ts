import type { EngagementEvent } from '../../features/events.ts';
import { InputError } from '../../features/errors.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import { describeEventsSource } from '../features/events-source.ts';
import { ident, openDuckDb } from '../io/duckdb.ts';

/**
 * Reads the events file of a dataset config, grouped by lead id and sorted by time,
 * keeping the properties rules filter on (`propertyColumns`, e.g. `page`; columns the
 * file lacks are skipped, so such filters never match) and the numeric properties.
 * Timestamps may be typed, ISO text or epoch ms. Missing columns are InputErrors.
 */
export async function readRuleEvents(
  events: EventsConfig,
  propertyColumns: readonly string[] = [],
): Promise<Map<string, EngagementEvent[]>> {
  const conn = await openDuckDb();
  try {
    const { source, types, need, lead, type, ts, tsMs } = await describeEventsSource(conn, events);
    const numeric = events.numericProperties.map((p) => ({
      name: p,
      sql: `TRY_CAST(${need(p, 'numericProperties')} AS DOUBLE)`,
    }));
    const text = [...new Set(propertyColumns)]
      .filter((p) => types.has(p) && !events.numericProperties.includes(p))
      .map((p) => ({ name: p, sql: `CAST(${ident(p)} AS VARCHAR)` }));
    const props = [...numeric, ...text];
    let reader;
    try {
      reader = await conn.runAndReadAll(`
        SELECT CAST(${lead} AS VARCHAR), CAST(${type} AS VARCHAR), ${tsMs}
               ${props.map((p) => `, ${p.sql}`).join('')}
        FROM ${source}
        WHERE ${lead} IS NOT NULL AND ${type} IS NOT NULL AND ${ts} IS NOT NULL
        ORDER BY 1, 3`);
    } catch (err) {
      throw new InputError(
        `${events.path}: cannot read events (${events.timestampColumn} must be a date, date-time or epoch ms): ${(err as Error).message.split('\n')[0]}`,
      );
    }
    const [ids, kinds, times, ...values] = reader.getColumnsJS() as unknown[][];
    const byLead = new Map<string, EngagementEvent[]>();
    for (let r = 0; r < (ids?.length ?? 0); r++) {
      const leadId = String(ids![r]);
      const at = Number(times![r]);
      if (!Number.isFinite(at))
        throw new InputError(
          `${events.path}: lead ${leadId}: ${events.timestampColumn}: not a date, date-time or epoch ms`,
        );
      // Text properties ride along for rule filters; the shared event schema declares numeric ones.
      let properties: Record<string, number | string> | undefined;
      props.forEach((p, k) => {
        const v = values[k]![r];
        if (v === null || v === undefined) return;
        (properties ??= {})[p.name] = v as number | string;
      });
      const event: EngagementEvent = {
        leadId,
        type: String(kinds![r]),
        at,
        ...(properties ? { properties: properties as Record<string, number> } : {}),
      };
      const list = byLead.get(leadId);
      if (list) list.push(event);
      else byLead.set(leadId, [event]);
    }
    return byLead;
  } finally {
    conn.closeSync();
  }
}
