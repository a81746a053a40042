import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, encodeLead } from '../../../features/encode-features.ts';
import { eventAggregateOptions } from '../../../features/event-options.ts';
import { aggregateColumns, eventAggregates } from '../../../features/event-aggregates.ts';
import type { EngagementEvent } from '../../../features/events.ts';
import { fitFeatureSpec } from '../../../features/fit-feature-spec.ts';
import { frameRow, type Frame } from '../../../features/frame.ts';
import { EventsConfig } from '../../../features/feature-config.ts';
import { openDuckDb } from '../../../pipelines/io/duckdb.ts';
import {
  aggregateFrameColumns,
  batchEventAggregates,
  type AggregateTable,
} from '../../../pipelines/features/batch-event-aggregates.ts';
import { readLeadEvents } from '../../../pipelines/features/read-lead-events.ts';
import { writeSyntheticFunnel } from '../../../pipelines/synth/write-funnel.ts';
import { Random } from '../../../pipelines/synth/random.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const DAY = 86_400_000;
const { dir } = tempDir('leadscore-parity-');
const config = EventsConfig.parse({
  path: path.join(dir, 'events.parquet'),
  numericProperties: ['seconds'],
  types: ['page_view', 'pricing_view', 'email_open', 'email_click', 'form_submit', 'unsubscribe'],
  windowsDays: [1, 7, 30],
  halfLifeDays: 10,
});
const options = eventAggregateOptions(config);

describe('batch SQL and online TypeScript give the same event features', () => {
  const leads = 1500;
  let ids: string[];
  let asOf: Float64Array;
  let table: AggregateTable;
  let events: Map<string, EngagementEvent[]>;

  beforeAll(async () => {
    await writeSyntheticFunnel({ leads, out: dir, seed: 7 });
    ids = Array.from({ length: leads }, (_, i) => `L${String(i).padStart(7, '0')}`);
    const rng = new Random(11);
    const conn = await openDuckDb();
    events = await readLeadEvents(conn, config);
    // Random cutoffs, a tenth of them exactly on one of the lead's event times.
    asOf = Float64Array.from(ids, (id) => {
      const own = events.get(id) ?? [];
      if (own.length > 0 && rng.uniform() < 0.1) return own[rng.int(own.length)]!.at;
      return Date.UTC(2025, 0, 1) + rng.uniform() * 420 * DAY;
    });
    table = await batchEventAggregates(conn, config, options, { ids, asOf });
    conn.closeSync();
  });

  it('matches every aggregate of every lead', () => {
    const names = aggregateColumns(options).map((c) => c.name);
    let compared = 0;
    for (let i = 0; i < leads; i++) {
      const online = eventAggregates(events.get(ids[i]!) ?? [], asOf[i]!, options);
      for (const name of names) {
        const k = table.names.indexOf(name);
        const batch = k < 0 ? table.lastType[i] : Number.isNaN(table.value(k, i)) ? null : table.value(k, i);
        const want = online[name];
        if (typeof want === 'number' && typeof batch === 'number')
          expect(Math.abs(batch - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        else expect(batch, `${ids[i]} ${name}`).toEqual(want);
        compared++;
      }
    }
    expect(compared).toBe(leads * names.length);
  });

  it('matches the encoded vectors within 1e-6', () => {
    const frame: Frame = {
      source: 'parity',
      rowCount: leads,
      ids,
      rowNumbers: ids.map((_, i) => i + 1),
      columns: aggregateFrameColumns(table, options),
    };
    const spec = fitFeatureSpec(frame, {}, { events: options, asOf });
    const m = encodeFrame(spec, frame, { asOf });
    let maxDiff = 0;
    for (let i = 0; i < leads; i++) {
      const v = encodeLead(spec, {}, events.get(ids[i]!) ?? [], asOf[i]!);
      for (let j = 0; j < m.cols; j++)
        maxDiff = Math.max(maxDiff, Math.abs(v[j]! - m.data[i * m.cols + j]!) / Math.max(1, Math.abs(v[j]!)));
    }
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
    // Some leads do have events before their cutoff, and some are cut exactly at an event.
    expect(table.frameValues(0).some((n) => n !== null && n > 0)).toBe(true);
    expect(frameRow(frame, 0)).toHaveProperty('events.last_type');
  });
});
