import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngagementEvent } from '../../../features/events.ts';
import { EventsConfig } from '../../../features/feature-config.ts';
import { frameRow, type Frame, numberValues } from '../../../features/frame.ts';
import { compileRules } from '../../../models/rules/compile-rules.ts';
import { parseRulesFile } from '../../../models/rules/parse-rules-file.ts';
import type { RuleEngine } from '../../../models/rules/rule-engine.ts';
import { RulesFile } from '../../../models/rules/rules-file.ts';
import { readLeadEvents } from '../../../pipelines/features/read-lead-events.ts';
import { ruleTallyFor } from '../../../pipelines/rules/batch-rule-tally.ts';
import { batchEventAggregates } from '../../../pipelines/features/batch-event-aggregates.ts';
import { eventAggregateOptions } from '../../../features/event-options.ts';
import { RuleEventTally } from '../../../models/rules/rule-event-tally.ts';
import { openDuckDb, queryRows } from '../../../pipelines/io/duckdb.ts';
import { literal } from '../../../pipelines/io/duckdb.ts';
import { writeSyntheticFunnel } from '../../../pipelines/synth/write-funnel.ts';
import { Random } from '../../../pipelines/synth/random.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const DAY = 86_400_000;
const { dir, write } = tempDir('leadscore-rule-parity-');
const shipped = readFileSync(
  path.join(import.meta.dirname, '../../../pipelines/configs/rules/synthetic-funnel.rules.yaml'),
  'utf8',
);

/** The shipped rules (half-life decay, a numeric `where`), and a variant with linear decay, a text `where` and windows. */
function variants(): { name: string; engine: RuleEngine }[] {
  const rules = YAML.parse(shipped) as { decay: unknown; rules: Record<string, unknown>[] };
  const linear = structuredClone(rules);
  linear.decay = { pointsLost: 3, everyDays: 7 };
  linear.rules.push(
    { id: 'pricing-page-read', event: 'page_view', where: { page: ['/pricing', '/PLANS '] }, points: 4, cap: 20 },
    { id: 'recent-clicks', event: ['email_click', 'email_open'], withinDays: 14, points: 2 },
  );
  return [
    { name: 'half-life decay', engine: compileRules(parseRulesFile(rules, 'shipped')) },
    { name: 'linear decay, text filter, windows', engine: compileRules(parseRulesFile(linear, 'linear')) },
  ];
}

describe('batch rule tally and the online rule engine give the same scores', () => {
  const leads = 1500;
  let frame: Frame;
  let asOf: Float64Array;
  let events: EventsConfig;

  beforeAll(async () => {
    await writeSyntheticFunnel({ leads, out: dir, seed: 7 });
    const conn = await openDuckDb();
    // Events as CSV with text times and a text property, as exports from a CRM come.
    const csv = path.join(dir, 'events.csv');
    await conn.run(`COPY (SELECT lead_id, event_type, strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts, seconds,
      CASE WHEN seconds > 120 THEN '/pricing' WHEN seconds > 60 THEN '/plans' ELSE '/blog' END AS page
      FROM read_parquet(${literal(path.join(dir, 'events.parquet'))})) TO ${literal(csv)} (HEADER)`);
    const rows = await queryRows(
      conn,
      `SELECT lead_id, industry, employees, job_title FROM read_parquet(${literal(path.join(dir, 'leads.parquet'))})`,
    );
    conn.closeSync();
    frame = {
      source: 'parity',
      rowCount: rows.length,
      ids: rows.map((r) => String(r.lead_id)),
      rowNumbers: rows.map((_, i) => i + 1),
      columns: [
        { name: 'industry', type: 'categorical', values: rows.map((r) => (r.industry as string | null) ?? null) },
        {
          name: 'employees',
          type: 'numeric',
          values: numberValues(rows.map((r) => (r.employees === null ? null : Number(r.employees)))),
        },
        { name: 'job_title', type: 'categorical', values: rows.map((r) => (r.job_title as string | null) ?? null) },
      ],
    };
    events = EventsConfig.parse({ path: csv, numericProperties: ['seconds'], types: ['page_view'] });
    const timesConn = await openDuckDb();
    const byLead = await readLeadEvents(timesConn, events);
    timesConn.closeSync();
    const rng = new Random(3);
    // Cutoffs on, just after and between the lead's own events; a few leads without a time.
    asOf = Float64Array.from(frame.ids, (id) => {
      const own = byLead.get(id) ?? [];
      const u = rng.uniform();
      if (u < 0.02) return NaN;
      if (own.length === 0) return Date.UTC(2025, 6, 1);
      const at = own[rng.int(own.length)]!.at;
      return u < 0.2 ? at : at + rng.uniform() * 20 * DAY;
    });
  });

  for (const { name, engine } of variants()) {
    it(`matches total, fit, engagement, every rule's points and the tier (${name})`, async () => {
      const conn = await openDuckDb();
      const online = await readLeadEvents(conn, events, { textProperties: engine.eventProperties });
      conn.closeSync();
      const tally = await ruleTallyFor(events, engine, frame.ids, asOf);
      const batch = engine.scoreFrame(frame, tally, asOf, { breakdown: true });
      const plain = engine.scoreFrame(frame, tally, asOf);
      let withEvents = 0;
      let lines = 0;
      for (let i = 0; i < frame.rowCount; i++) {
        const own: EngagementEvent[] = online.get(frame.ids[i]!) ?? [];
        const want = engine.score(frameRow(frame, i), own, asOf[i]!);
        if (own.some((e) => e.at < asOf[i]!)) withEvents++;
        const at = `${frame.ids[i]} as of ${asOf[i]}`;
        const pairs = [
          ['fit', batch.fit[i]!, want.fit],
          ['engagement', batch.engagement[i]!, want.engagement],
          ['total', batch.total[i]!, want.total],
          ['total (no breakdown)', plain.total[i]!, want.total],
        ] as const;
        for (const [k, got, expected] of pairs) {
          expect(Math.abs(got - expected), `${at}: ${k} ${got} vs ${expected}`).toBeLessThanOrEqual(
            1e-9 * Math.max(1, Math.abs(expected)),
          );
        }
        expect(engine.tierNames[batch.tier[i]!], at).toBe(want.tier);
        expect(engine.tierNames[plain.tier[i]!], at).toBe(want.tier);
        const fired = batch.fired![i]!;
        expect(
          fired.map((f) => f.rule),
          at,
        ).toEqual(want.fired.map((f) => f.rule));
        fired.forEach((f, j) =>
          expect(Math.abs(f.points - want.fired[j]!.points), `${at}: ${f.rule}`).toBeLessThanOrEqual(
            1e-9 * Math.max(1, Math.abs(f.points)),
          ),
        );
        lines += fired.length;
      }
      expect(withEvents).toBeGreaterThanOrEqual(1000);
      expect(lines).toBeGreaterThan(withEvents);
    });
  }

  // The batch commands count the rules' events in the aggregates' pass (eventsOfChunk): the same tally as a pass of their own.
  for (const format of ['csv', 'parquet'] as const)
    it(`counts the same in the event aggregates' pass as in a query of its own (${format} times)`, async () => {
      const config =
        format === 'csv'
          ? events
          : { ...events, path: path.join(dir, 'events.parquet'), numericProperties: ['seconds'] };
      const options = eventAggregateOptions(config);
      let compared = 0;
      for (const { name, engine } of variants()) {
        const own = (await ruleTallyFor(config, engine, frame.ids, asOf))!;
        const conn = await openDuckDb();
        const along = new RuleEventTally(engine, frame.rowCount);
        const table = await batchEventAggregates(conn, config, options, { ids: frame.ids, asOf }, undefined, {
          engine,
          tally: along,
        });
        conn.closeSync();
        expect(table.rowCount, name).toBe(frame.rowCount);
        expect(Array.from(along.counts), name).toEqual(Array.from(own.counts));
        expect(Array.from(along.weights), name).toEqual(Array.from(own.weights));
        expect(Array.from(along.lastAt), name).toEqual(Array.from(own.lastAt));
        compared += along.counts.filter((c) => c > 0).length;
      }
      expect(compared).toBeGreaterThan(1000);
    });

  it('counts nothing for leads missing from the events file or cut before their events', async () => {
    const engine = variants()[0]!.engine;
    const tally = (await ruleTallyFor(events, engine, ['nobody', frame.ids[0]!], [Date.UTC(2030, 0, 1), 0]))!;
    expect([...tally.lastAt]).toEqual([-Infinity, -Infinity]);
    expect(tally.counts.every((c) => c === 0)).toBe(true);
  });
});

describe('ruleTallyFor reads the events file as the config names it', () => {
  const config = (file: string, extra: Record<string, unknown> = {}) =>
    EventsConfig.parse({ path: file, types: ['page_view'], ...extra });
  const engine = compileRules(
    RulesFile.parse({
      name: 't',
      rules: [
        { id: 'pricing', event: 'page_view', where: { page: 'pricing' }, points: 5 },
        { id: 'long-read', event: 'page_view', where: { seconds: { atLeast: 10 } }, points: 1 },
        { id: 'absent-filter', event: 'page_view', where: { absent: 'x' }, points: 1 },
        { id: 'webinar', event: 'webinar', points: 10 },
      ],
      tiers: [{ name: 'hot', atLeast: 10 }, { name: 'cold' }],
    }),
  );
  /** Each lead's counts per rule, in rule order. */
  const counts = (tally: { counts: Float64Array; width: number }, row: number) =>
    Array.from(tally.counts.subarray(row * tally.width, (row + 1) * tally.width));

  it('filters on text and numeric properties, reading ISO times with offsets', async () => {
    const file = write(
      'props.csv',
      'lead_id,event_type,ts,page,seconds\nb,page_view,2026-01-02T00:00:00Z,docs,5\na,email_open,2026-01-03,,\na,page_view,2026-01-01T12:00:00+02:00,pricing,30\n',
    );
    const asOf = Date.UTC(2026, 1, 1);
    const tally = (await ruleTallyFor(config(file, { numericProperties: ['seconds'] }), engine, ['a', 'b'], asOf))!;
    expect(counts(tally, 0)).toEqual([1, 1, 0, 0]);
    expect(counts(tally, 1)).toEqual([0, 0, 0, 0]);
    // 12:00 at +02:00; the email open counts for no rule and linear decay is off, so it is not read.
    expect([...tally.lastAt]).toEqual([Date.UTC(2026, 0, 1, 10), Date.UTC(2026, 0, 2)]);
  });

  it('reads epoch milliseconds from JSON Lines, counting only events before the scoring time', async () => {
    const file = write('events.jsonl', '{"id":"x","kind":"webinar","when":1767225600000}\n');
    const events = config(file, { leadIdColumn: 'id', typeColumn: 'kind', timestampColumn: 'when' });
    const tally = (await ruleTallyFor(events, engine, ['x', 'x'], [1767225600001, 1767225600000]))!;
    expect(counts(tally, 0)).toEqual([0, 0, 0, 1]);
    expect(counts(tally, 1)).toEqual([0, 0, 0, 0]);
    expect([...tally.lastAt]).toEqual([1767225600000, -Infinity]);
  });

  it('names a missing column by its config key', async () => {
    const noTime = write('nots.csv', 'lead_id,event_type\na,page_view\n');
    await expect(ruleTallyFor(config(noTime), engine, ['a'], 0)).rejects.toThrow(
      /nots\.csv: column "ts" not found \(events\.timestampColumn\)/,
    );
    const noSeconds = write('nosec.csv', 'lead_id,event_type,ts\na,page_view,2026-01-01\n');
    await expect(ruleTallyFor(config(noSeconds, { numericProperties: ['seconds'] }), engine, ['a'], 0)).rejects.toThrow(
      /nosec\.csv: column "seconds" not found \(events\.numericProperties\)/,
    );
  });
});
