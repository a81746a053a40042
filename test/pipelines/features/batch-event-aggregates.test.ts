import { describe, expect, it } from 'vitest';
import { eventAggregateOptions } from '../../../features/event-options.ts';
import { aggregateColumns, eventAggregates } from '../../../features/event-aggregates.ts';
import type { EngagementEvent } from '../../../features/events.ts';
import { EventsConfig } from '../../../features/feature-config.ts';
import { batchEventAggregates, type AggregateTable } from '../../../pipelines/features/batch-event-aggregates.ts';
import { openDuckDb } from '../../../pipelines/io/duckdb.ts';
import { Random } from '../../../pipelines/synth/random.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const { write } = tempDir('leadscore-batch-aggregates-');

/** Lead ids short enough for DuckDB to keep inline, long ones, and non-ASCII ones. */
const leadId = (l: number) => (l % 3 === 0 ? `L${l}` : l % 3 === 1 ? `lead-with-a-long-id-${l}` : `Zoë-${l}`);

/** Events in shuffled order: days out of order within a lead, same-time ties, types not configured, absent properties. */
function makeEvents(leads: number, seed: number): EngagementEvent[] {
  const rng = new Random(seed);
  const types = ['view', 'click', 'form', 'other', 'zeta'];
  const out: EngagementEvent[] = [];
  for (let l = 0; l < leads; l++) {
    const n = rng.int(40);
    for (let k = 0; k < n; k++) {
      const at = T0 + Math.floor(rng.uniform() * 60 * DAY);
      const event: EngagementEvent = { leadId: leadId(l), type: types[rng.int(types.length)]!, at };
      if (rng.uniform() < 0.7) event.properties = { seconds: rng.int(100) };
      out.push(event);
      // A tie at the same time with another type.
      if (rng.uniform() < 0.1) out.push({ leadId: event.leadId, type: types[rng.int(types.length)]!, at });
    }
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function rowValue(table: AggregateTable, name: string, row: number): number | string | null {
  const k = table.names.indexOf(name);
  if (k < 0) return table.lastType[row] ?? null;
  const v = table.value(k, row);
  return Number.isNaN(v) ? null : v;
}

/** How the events file stores its times: ISO text in a CSV, a Parquet TIMESTAMP column, epoch-ms numbers in a CSV. */
const timeFormats = ['iso-csv', 'timestamp-parquet', 'epoch-ms-csv'] as const;

async function writeEvents(events: EngagementEvent[], format: (typeof timeFormats)[number]): Promise<string> {
  const time = (at: number) => (format === 'epoch-ms-csv' ? String(at) : new Date(at).toISOString());
  const csv = write(
    `events-${format}.csv`,
    `${['lead_id,event_type,ts,seconds', ...events.map((e) => `${e.leadId},${e.type},${time(e.at)},${e.properties?.seconds ?? ''}`)].join('\n')}\n`,
  );
  if (format !== 'timestamp-parquet') return csv;
  const parquet = csv.replace(/\.csv$/, '.parquet');
  const conn = await openDuckDb();
  await conn.run(`SET TimeZone = 'UTC'`);
  await conn.run(
    `COPY (SELECT lead_id, event_type, CAST(CAST(ts AS TIMESTAMPTZ) AS TIMESTAMP) AS ts, seconds FROM read_csv('${csv}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`,
  );
  const type = (await conn.runAndReadAll(`SELECT typeof(ts) FROM '${parquet}' LIMIT 1`)).getRowsJS()[0]?.[0];
  conn.closeSync();
  expect(type).toBe('TIMESTAMP');
  return parquet;
}

describe('batchEventAggregates', () => {
  it.each(timeFormats)(
    'matches the online aggregates with shuffled events, repeated leads and non-finite cutoffs (%s)',
    async (format) => {
      const events = makeEvents(300, 3);
      const config = EventsConfig.parse({
        path: await writeEvents(events, format),
        types: ['view', 'click', 'form'],
        windowsDays: [1, 7],
        halfLifeDays: 5,
        numericProperties: ['seconds'],
      });
      const options = eventAggregateOptions(config);
      const rng = new Random(9);
      // Every lead three times with different cutoffs: some exactly on an event, 1 ms or half a
      // millisecond after one; a lead without events, NaN and Infinity cutoffs.
      const ids: string[] = [];
      const asOf: number[] = [];
      for (let l = 0; l < 300; l++) {
        const own = events.filter((e) => e.leadId === leadId(l));
        for (let c = 0; c < 3; c++) {
          ids.push(leadId(l));
          const at = own.length > 0 ? own[rng.int(own.length)]!.at : T0;
          asOf.push(rng.uniform() < 0.4 ? at + [0, 1, 0.5][c]! : T0 + rng.uniform() * 70 * DAY);
        }
      }
      ids.push('nobody', leadId(1), leadId(2));
      asOf.push(T0 + 30 * DAY, NaN, Infinity);

      const conn = await openDuckDb();
      const table = await batchEventAggregates(conn, config, options, { ids, asOf: Float64Array.from(asOf) });
      conn.closeSync();

      const byLead = new Map<string, EngagementEvent[]>();
      for (const e of events) byLead.set(e.leadId, [...(byLead.get(e.leadId) ?? []), e]);
      const names = aggregateColumns(options).map((c) => c.name);
      for (let i = 0; i < ids.length; i++) {
        const finite = Number.isFinite(asOf[i]!);
        const online = eventAggregates(finite ? (byLead.get(ids[i]!) ?? []) : [], finite ? asOf[i]! : 0, options);
        for (const name of names) {
          const want = online[name]!;
          const got = rowValue(table, name, i);
          if (typeof want === 'number' && typeof got === 'number')
            expect(Math.abs(got - want), `${i} ${name}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
          else expect(got, `${i} ${name}`).toEqual(want);
        }
      }
      // The data does exercise the cases: out-of-order days, types not configured as the last type.
      const lastTypes = new Set(table.lastType);
      expect(lastTypes.has('other') || lastTypes.has('zeta')).toBe(true);
      expect(rowValue(table, 'events.count', ids.length - 3)).toBe(0);
      expect(rowValue(table, 'events.days_since_last', ids.length - 1)).toBeNull();
      // The frame columns hold the same values, NaN where value() is NaN.
      for (let k = 0; k < table.names.length; k++) {
        const column = table.frameValues(k);
        expect(column).toHaveLength(ids.length);
        for (let i = 0; i < ids.length; i++) expect(column[i], `${i} ${table.names[k]}`).toBe(table.value(k, i));
      }
    },
  );
});
