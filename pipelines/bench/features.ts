/**
 * Benchmark of event feature extraction on a synthetic funnel of about 10M events.
 * - extraction: the batch event aggregates (pipelines/features/) of every lead as of
 *   created_at + 14 days, into typed columns, through DuckDB;
 * - baseline: a bare `SELECT lead_id, count(*) FROM events GROUP BY lead_id` on the same
 *   file, in the same run (best of three each), with its counts read into JS value by value
 *   (`baselineSeconds`, the ratio's denominator), and as the query alone, its result left in
 *   DuckDB (`baselineSqlOnlySeconds`, for `ratioToSqlOnlyGroupBy`);
 * - encoding: encodeFrame over 100k leads' aggregate columns (rows per second);
 * - online: encodeLead for one lead with 200 events (aggregates + encoding).
 *
 * usage: npm run bench:features [-- --events N] [-- --data DIR]
 *   --events: target event count (default 10000000); --data: reuse (or create) a folder
 *   written by `leadscore data synth` instead of a temporary one.
 * Last line: JSON with events, eventsPerSecond, ratioToDuckdbGroupBy, ratioToSqlOnlyGroupBy, peakRssMb (through extraction
 * and the join onto a frame), onlineMicrosPerLead (wall) and onlineCpuMicrosPerLead.
 */

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeFrame, encodeLead } from '../../features/encode-features.ts';
import { eventAggregateOptions } from '../../features/event-options.ts';
import type { EngagementEvent } from '../../features/events.ts';
import { EventsConfig } from '../../features/feature-config.ts';
import { fitFeatureSpec } from '../../features/fit-feature-spec.ts';
import type { Frame } from '../../features/frame.ts';
import { batchEventAggregates, aggregateFrameColumns } from '../features/batch-event-aggregates.ts';
import { literal, openDuckDb } from '../io/duckdb.ts';
import { Random } from '../synth/random.ts';
import { writeSyntheticFunnel } from '../synth/write-funnel.ts';
import { benchArg } from './bench-args.ts';

const DAY = 86_400_000;
const targetEvents = Number(benchArg('events') ?? 10_000_000);
const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

async function main() {
  const keep = benchArg('data');
  const dir = keep ? path.resolve(keep) : mkdtempSync(path.join(os.tmpdir(), 'leadscore-bench-features-'));
  try {
    if (!existsSync(path.join(dir, 'events.parquet'))) {
      // The generator averages about 16.8 events per lead.
      const t = performance.now();
      const w = await writeSyntheticFunnel({ leads: Math.ceil(targetEvents / 16.8), out: dir, seed: 1 });
      log(`generated ${w.leads} leads, ${w.events} events in ${round((performance.now() - t) / 1000, 1)} s`);
    }
    const eventsFile = path.join(dir, 'events.parquet');
    const config = EventsConfig.parse({
      path: eventsFile,
      numericProperties: ['seconds'],
      types: [
        'page_view',
        'docs_view',
        'pricing_view',
        'email_sent',
        'email_open',
        'email_click',
        'webinar',
        'download',
        'form_submit',
        'unsubscribe',
      ],
      windowsDays: [7, 30],
      halfLifeDays: 14,
    });
    const options = eventAggregateOptions(config);
    const conn = await openDuckDb();
    const leadsReader = await conn.runAndReadAll(
      `SELECT lead_id, epoch_ms(created_at)::DOUBLE FROM read_parquet(${literal(path.join(dir, 'leads.parquet'))})`,
    );
    const [ids, created] = leadsReader.getColumnsJS() as [string[], number[]];
    const asOf = Float64Array.from(created, (c) => c + 14 * DAY);
    const events = Number(
      (await conn.runAndReadAll(`SELECT count(*) FROM read_parquet(${literal(eventsFile)})`)).getRowsJS()[0]![0],
    );

    const baseline = async () => {
      const result = await conn.run(
        `SELECT lead_id, count(*) AS n FROM read_parquet(${literal(eventsFile)}) GROUP BY lead_id`,
      );
      let rows = 0;
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const v = chunk.getColumnVector(1);
        for (let i = 0; i < chunk.rowCount; i++) rows += v.getItem(i) === null ? 0 : 1;
      }
      return rows;
    };
    const baselineSqlOnly = () =>
      conn.run(`SELECT lead_id, count(*) AS n FROM read_parquet(${literal(eventsFile)}) GROUP BY lead_id`);
    const extract = () => batchEventAggregates(conn, config, options, { ids, asOf });
    const best = async (f: () => Promise<unknown>) => {
      let min = Infinity;
      for (let k = 0; k < 3; k++) {
        const t = performance.now();
        await f();
        min = Math.min(min, performance.now() - t);
      }
      return min / 1000;
    };
    const baselineSeconds = await best(baseline);
    const baselineSqlOnlySeconds = await best(baselineSqlOnly);
    const extractSeconds = await best(extract);
    log(
      `baseline group-by ${round(baselineSeconds)} s (query alone ${round(baselineSqlOnlySeconds)} s), extraction ${round(extractSeconds)} s`,
    );

    // Joining onto a frame (boxing into (number | null)[]) is measured apart: it is the frame's cost, not the SQL's.
    const table = await extract();
    const tJoin = performance.now();
    const columns = aggregateFrameColumns(table, options);
    const joinSeconds = (performance.now() - tJoin) / 1000;
    conn.closeSync();

    // The target is on extraction; encoding below allocates a matrix of its own.
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const encode = encodeThroughput(options, columns, ids, asOf);
    const online = onlineMicros(options, columns, ids.length);
    const result = {
      events,
      leads: ids.length,
      aggregateColumns: columns.length,
      extractSeconds: round(extractSeconds),
      baselineSeconds: round(baselineSeconds),
      eventsPerSecond: Math.round(events / extractSeconds),
      ratioToDuckdbGroupBy: round(extractSeconds / baselineSeconds, 2),
      baselineSqlOnlySeconds: round(baselineSqlOnlySeconds),
      ratioToSqlOnlyGroupBy: round(extractSeconds / baselineSqlOnlySeconds, 2),
      frameJoinSeconds: round(joinSeconds),
      encodeRowsPerSecond: encode.rowsPerSecond,
      encodedFeatures: encode.features,
      peakRssMb,
      peakRssMbWithEncoding: Math.round(process.resourceUsage().maxRSS / 1024),
      onlineMicrosPerLead: round(online.wall, 1),
      onlineCpuMicrosPerLead: round(online.cpu, 1),
      targets: { ratioToDuckdbGroupBy: 3, peakRssMb: 2048 },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** encodeFrame throughput on the first 100k leads' aggregate columns, with a spec fitted on them. */
function encodeThroughput(
  options: ReturnType<typeof eventAggregateOptions>,
  all: Frame['columns'],
  allIds: string[],
  allAsOf: Float64Array,
) {
  const n = Math.min(allIds.length, 100_000);
  const ids = allIds.slice(0, n);
  const asOf = allAsOf.subarray(0, n);
  const columns = all.map((c) => ({ ...c, values: c.values.slice(0, n) }) as Frame['columns'][number]);
  const frame: Frame = { source: 'bench', rowCount: n, ids, rowNumbers: ids.map((_, i) => i + 1), columns };
  const spec = fitFeatureSpec(frame, {}, { events: options, asOf });
  const t = performance.now();
  const m = encodeFrame(spec, frame, { asOf });
  return { rowsPerSecond: Math.round(m.rows / ((performance.now() - t) / 1000)), features: m.cols };
}

/** Mean microseconds of encodeLead for a lead with 200 events, with a spec fitted on a small frame of the batch columns. */
function onlineMicros(
  options: ReturnType<typeof eventAggregateOptions>,
  columns: Frame['columns'],
  rows: number,
): { wall: number; cpu: number } {
  const n = Math.min(rows, 20_000);
  const frame: Frame = {
    source: 'bench',
    rowCount: n,
    ids: Array.from({ length: n }, (_, i) => String(i)),
    rowNumbers: Array.from({ length: n }, (_, i) => i + 1),
    columns: columns.map((c) => ({ ...c, values: c.values.slice(0, n) }) as Frame['columns'][number]),
  };
  const asOf = Date.UTC(2025, 6, 1);
  const spec = fitFeatureSpec(frame, {}, { events: options, asOf });
  const rng = new Random(5);
  const events: EngagementEvent[] = Array.from({ length: 200 }, () => ({
    leadId: 'L1',
    type: options.types[rng.int(options.types.length)]!,
    at: asOf - rng.uniform() * 120 * DAY,
    properties: { seconds: rng.int(300) },
  }));
  let sink = 0;
  for (let k = 0; k < 2000; k++) sink += encodeLead(spec, {}, events, asOf)[0]!;
  const loops = 20_000;
  const t = performance.now();
  const cpu = process.cpuUsage();
  for (let k = 0; k < loops; k++) sink += encodeLead(spec, {}, events, asOf)[0]!;
  const wall = ((performance.now() - t) * 1000) / loops;
  // CPU time as well: on a shared machine wall time also measures the neighbours.
  const used = process.cpuUsage(cpu);
  if (Number.isNaN(sink)) log('unexpected NaN');
  return { wall, cpu: (used.user + used.system) / loops };
}

await main();
