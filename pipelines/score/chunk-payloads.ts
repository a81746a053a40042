import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../../features/errors.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import type { LeadAttributes } from '../../features/frame.ts';
import type { LeadModel } from '../../models/lead-model.ts';
import type { LeadEvent, LeadPayload } from '../../serving/index.ts';
import { cutoffsTable, loadCutoffs } from '../features/batch-event-aggregates.ts';
import { createEventsView, eventsView } from '../features/events-source.ts';
import { ident } from '../io/duckdb.ts';
import type { LeadChunk } from './lead-chunks.ts';

/**
 * The `score-batch` payload of a chunk of leads: each lead with the attributes the model and
 * its rules read (as `score` converted them), its events before its scoring time and that
 * time, so that a worker computes the same features as `score` does in DuckDB (the parity
 * tests of batch and online features hold them equal).
 */
export async function chunkPayloads(
  conn: DuckDBConnection,
  events: EventsConfig | undefined,
  model: LeadModel,
  chunk: LeadChunk,
): Promise<LeadPayload[]> {
  const { frame, asOf } = chunk;
  const n = frame.rowCount;
  const read = new Set([...model.spec.encoders.map((e) => e.source), ...(model.rules?.engine.columns ?? [])]);
  const columns = frame.columns.filter((c) => read.has(c.name));
  const engine = model.rules?.engine;
  const wantsEvents =
    model.spec.events !== undefined || (engine && (engine.eventRulesByType.size > 0 || engine.usesLastEvent));
  const byRow =
    events && wantsEvents && asOf && n > 0
      ? await eventsBeforeCutoffs(conn, events, frame.ids, asOf, chunk.eventsFrom)
      : undefined;
  // Without a time of its own, a lead is scored at the time `score` takes: the spec's reference.
  const fallback = model.spec.referenceAsOf ?? undefined;
  const out = new Array<LeadPayload>(n);
  for (let i = 0; i < n; i++) {
    const attributes: LeadAttributes = {};
    for (const c of columns) {
      const v = c.values[i] ?? null;
      attributes[c.name] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    }
    const lead: LeadPayload = { leadId: frame.ids[i]!, attributes };
    const at = asOf?.[i];
    if (at !== undefined && Number.isFinite(at)) lead.asOf = at;
    else if (fallback !== undefined) lead.asOf = fallback;
    if (byRow) lead.events = byRow[i] ?? [];
    out[i] = lead;
  }
  return out;
}

/** Each lead's events strictly before its cutoff, oldest first, by row of `ids`. */
async function eventsBeforeCutoffs(
  conn: DuckDBConnection,
  config: EventsConfig,
  ids: readonly string[],
  asOf: Float64Array,
  from: string | undefined,
): Promise<LeadEvent[][]> {
  await createEventsView(conn, config, from);
  await loadCutoffs(conn, { ids, asOf });
  const props = config.numericProperties;
  let reader;
  try {
    reader = await conn.runAndReadAll(
      `SELECT c.row_idx, e.event_type, e.ts${props.map((p) => `, e.${ident(p)}`).join('')}
       FROM ${eventsView} e JOIN ${cutoffsTable} c ON e.lead_id = c.lead_id AND e.ts < c.as_of
       ORDER BY c.row_idx, e.ts, e.event_type`,
    );
  } catch (err) {
    throw new InputError(`${config.path}: cannot read events: ${(err as Error).message.split('\n')[0]}`);
  }
  const columns = reader.getColumnsJS() as unknown[][];
  const rows = columns[0] as number[];
  const types = columns[1] as string[];
  const times = columns[2] as number[];
  const out: LeadEvent[][] = Array.from({ length: ids.length }, () => []);
  for (let k = 0; k < rows.length; k++) {
    const event: LeadEvent = { type: types[k]!, at: Number(times[k]) };
    if (props.length > 0) {
      const properties: Record<string, number> = {};
      props.forEach((p, j) => {
        const v = columns[3 + j]![k];
        if (typeof v === 'number' && Number.isFinite(v)) properties[p] = v;
      });
      event.properties = properties;
    }
    out[rows[k]!]!.push(event);
  }
  return out;
}
