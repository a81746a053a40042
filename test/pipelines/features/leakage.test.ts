import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellAt, columnCells, type Frame } from '../../../features/frame.ts';
import { loadDatasetConfig } from '../../../pipelines/config/load-config.ts';
import { buildPointInTimeSet, type PointInTimeSet } from '../../../pipelines/features/point-in-time.ts';
import { readFirstWins } from '../../../pipelines/features/read-first-wins.ts';
import { literal, openDuckDb } from '../../../pipelines/io/duckdb.ts';
import { loadLeads } from '../../../pipelines/io/load-leads.ts';
import { writeSyntheticFunnel } from '../../../pipelines/synth/write-funnel.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const DAY = 86_400_000;
const { dir, write } = tempDir('leadscore-leakage-');
const file = (name: string) => path.join(dir, name);

function config(events: string, outcomes: string): string {
  return `name: leakage
leads: { path: leads.parquet }
idColumn: lead_id
label: { fromOutcomes: true, horizonDays: 60 }
columns: { created_at: timestamp }
exclude: { email: not needed here }
events: { path: ${events}, types: [page_view, pricing_view, form_submit], windowsDays: [7, 30], numericProperties: [seconds] }
outcomes: { path: ${outcomes}, statusColumn: status }
asOf: { column: created_at, offsetDays: 14 }
`;
}

async function build(name: string, events: string, outcomes: string): Promise<PointInTimeSet> {
  const loaded = await loadDatasetConfig(write(name, config(events, outcomes)));
  return buildPointInTimeSet(loaded, (await loadLeads(loaded)).frame);
}

const eventColumns = (f: Frame) => f.columns.filter((c) => c.name.startsWith('events.'));

describe('point-in-time sets leak nothing at or after asOf', () => {
  let clean: PointInTimeSet;
  let poisoned: PointInTimeSet;

  beforeAll(async () => {
    await writeSyntheticFunnel({ leads: 3000, out: dir, seed: 5 });
    const conn = await openDuckDb();
    const asOf = `created_at + INTERVAL 14 DAY`;
    const leads = `read_parquet(${literal(file('leads.parquet'))})`;
    // Every lead gets a burst of strong events exactly at and after its asOf...
    await conn.run(`COPY (
      SELECT * FROM read_parquet(${literal(file('events.parquet'))})
      UNION ALL SELECT lead_id, 'pricing_view', ${asOf}, 999.0 FROM ${leads}
      UNION ALL SELECT lead_id, 'form_submit', ${asOf} + INTERVAL 1 HOUR, NULL FROM ${leads}
    ) TO ${literal(file('events-poisoned.parquet'))} (FORMAT parquet)`);
    // ...every third lead a win exactly at its asOf, the others a lost deal the day before.
    await conn.run(`COPY (
      SELECT * FROM read_parquet(${literal(file('outcomes.parquet'))})
      UNION ALL SELECT lead_id, CASE WHEN hash(lead_id) % 3 = 0 THEN 'won' ELSE 'lost' END,
        CASE WHEN hash(lead_id) % 3 = 0 THEN ${asOf} ELSE ${asOf} - INTERVAL 1 DAY END FROM ${leads}
    ) TO ${literal(file('outcomes-poisoned.parquet'))} (FORMAT parquet)`);
    conn.closeSync();
    clean = await build('clean.yaml', 'events.parquet', 'outcomes.parquet');
    poisoned = await build('poisoned.yaml', 'events-poisoned.parquet', 'outcomes-poisoned.parquet');
  });

  it('leaves out the leads that converted at their asOf, and only those', () => {
    expect(poisoned.left.convertedBefore).toBeGreaterThan(clean.left.convertedBefore + 500);
    const kept = new Set(poisoned.frame.ids);
    expect(poisoned.frame.ids).toEqual(clean.frame.ids.filter((id) => kept.has(id)));
    expect(poisoned.frame.rowCount).toBe(3000 - poisoned.left.convertedBefore);
  });

  it('gives the remaining rows the same event features and labels', () => {
    const index = new Map(clean.frame.ids.map((id, i) => [id, i]));
    const rows = poisoned.frame.ids.map((id) => index.get(id)!);
    const before = eventColumns(clean.frame);
    const after = eventColumns(poisoned.frame);
    expect(after.map((c) => c.name)).toEqual(before.map((c) => c.name));
    after.forEach((c, k) => expect(columnCells(c), c.name).toEqual(rows.map((r) => cellAt(before[k]!, r))));
    expect(Array.from(poisoned.frame.label!)).toEqual(rows.map((r) => clean.frame.label![r]));
    expect(poisoned.frame.label!.some((v) => v === 1)).toBe(true);
  });

  it('labels exactly the wins after asOf within the horizon, and no row had won before it', async () => {
    const wins = await readFirstWins({
      path: file('outcomes.parquet'),
      leadIdColumn: 'lead_id',
      statusColumn: 'status',
      wonValues: ['won'],
      closedAtColumn: 'closed_at',
    });
    clean.frame.ids.forEach((id, i) => {
      const won = wins.get(id);
      const asOf = clean.asOf[i]!;
      expect(won === undefined || won > asOf).toBe(true);
      expect(clean.frame.label![i]).toBe(won !== undefined && won <= asOf + 60 * DAY ? 1 : 0);
    });
  });
});
