import { describe, expect, it } from 'vitest';
import { columnCells, numberValues } from '../../../features/frame.ts';
import { loadDatasetConfig } from '../../../pipelines/config/load-config.ts';
import { buildPointInTimeSet, cutoffTimes } from '../../../pipelines/features/point-in-time.ts';
import { loadLeads } from '../../../pipelines/io/load-leads.ts';
import type { Frame } from '../../../features/frame.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const { write } = tempDir('leadscore-pit-');

const leadsCsv = `lead_id,created_at,industry
A,2025-01-01T00:00:00Z,Software
B,2025-01-01T00:00:00Z,Retail
C,2025-01-10T00:00:00Z,Software
D,2025-02-01T00:00:00Z,Retail
E,,Retail
`;
// asOf = created + 10 days: A, B 2025-01-11; C 2025-01-20; D 2025-02-11.
const eventsCsv = `lead_id,event_type,ts
A,view,2025-01-05T00:00:00Z
A,view,2025-01-11T00:00:00Z
A,click,2025-01-12T00:00:00Z
B,view,2025-01-10T12:00:00Z
C,click,2025-01-19T00:00:00Z
C,view,2025-01-21T00:00:00Z
D,view,2025-02-11T00:00:00Z
`;
const outcomesCsv = `lead_id,status,closed_at
A,won,2025-01-11T00:00:00Z
B,won,2025-03-01T00:00:00Z
C,lost,2025-01-15T00:00:00Z
C,won,2025-06-01T00:00:00Z
D,won,2025-02-20T00:00:00Z
`;

function configYaml(horizon: number): string {
  return `name: pit
leads: { path: leads.csv }
idColumn: lead_id
label: { fromOutcomes: true, horizonDays: ${horizon} }
columns: { created_at: timestamp, industry: categorical }
events: { path: events.csv, types: [view, click], windowsDays: [7] }
outcomes: { path: outcomes.csv, statusColumn: status }
asOf: { column: created_at, offsetDays: 10 }
`;
}

write('leads.csv', leadsCsv);
write('events.csv', eventsCsv);
write('outcomes.csv', outcomesCsv);

async function build(horizon: number) {
  const loaded = await loadDatasetConfig(write(`pit-${horizon}.yaml`, configYaml(horizon)));
  const { frame } = await loadLeads(loaded, { skipBadRows: true });
  return buildPointInTimeSet(loaded, frame);
}

const values = (frame: Frame, name: string) => {
  const column = frame.columns.find((c) => c.name === name);
  return column && columnCells(column);
};

describe('buildPointInTimeSet', () => {
  it('leaves out leads converted at asOf and leads without an asOf; labels wins within the horizon after asOf', async () => {
    const set = await build(60);
    // A won exactly at its asOf: already converted. E has no created_at.
    expect(set.frame.ids).toEqual(['B', 'C', 'D']);
    expect(set.left).toEqual({ convertedBefore: 1, noAsOf: 1 });
    // B wins 49 days after asOf, C 132 days after (outside 60), D 9 days after.
    expect(Array.from(set.frame.label!)).toEqual([1, 0, 1]);
    expect(Array.from(set.asOf)).toEqual([Date.UTC(2025, 0, 11), Date.UTC(2025, 0, 20), Date.UTC(2025, 1, 11)]);
  });

  it('uses only events strictly before each asOf (D has one exactly at it)', async () => {
    const set = await build(60);
    expect(values(set.frame, 'events.count')).toEqual([1, 1, 0]);
    expect(values(set.frame, 'events.click.count')).toEqual([0, 1, 0]);
    expect(values(set.frame, 'events.days_since_last')).toEqual([0.5, 1, null]);
    expect(values(set.frame, 'events.last_type')).toEqual(['view', 'click', null]);
  });

  it('a longer horizon turns a later win into a positive', async () => {
    const set = await build(200);
    expect(Array.from(set.frame.label!)).toEqual([1, 1, 1]);
  });

  it('cutoffTimes reads a fixed date as UTC midnight', () => {
    const frame: Frame = { source: 'x', rowCount: 2, ids: ['a', 'b'], rowNumbers: [1, 2], columns: [] };
    expect(Array.from(cutoffTimes(frame, { fixed: '2025-03-01' }))).toEqual([
      Date.UTC(2025, 2, 1),
      Date.UTC(2025, 2, 1),
    ]);
  });

  it('names the config key when the asOf column is not a timestamp', () => {
    const frame: Frame = {
      source: 'x',
      rowCount: 1,
      ids: ['a'],
      rowNumbers: [1],
      columns: [{ name: 'c', type: 'numeric', values: numberValues([1]) }],
    };
    expect(() => cutoffTimes(frame, { column: 'c', offsetDays: 0 }, 'pit.yaml')).toThrow(
      /pit.yaml: asOf.column: column "c" is numeric/,
    );
  });
});
