import { describe, expect, it } from 'vitest';
import { numberValues } from '../../../features/frame.ts';
import type { EventAggregateOptions } from '../../../features/event-aggregates.ts';
import { AggregateTable } from '../../../pipelines/features/aggregate-table.ts';

const options: EventAggregateOptions = {
  types: ['view', 'click'],
  windowsDays: [7],
  halfLifeDays: 14,
  numericProperties: ['seconds'],
};

/** Row 1 with events, its click pair written as EventFold would leave it. */
function tableWithOnePair(pairCapacity: number): AggregateTable {
  const table = new AggregateTable(3, options, pairCapacity);
  table.rows.count[1] = 3;
  table.rows.windows[0]![1] = 1;
  table.rows.activeDays[1] = 2;
  table.rows.last[1] = 0.5;
  table.rows.first[1] = 9.25;
  table.lastTypeCode[1] = 2;
  table.reservePairs(1);
  const p = table.pairs;
  p.count[0] = 2;
  p.windows[0]![0] = 1;
  p.since[0] = 1.5;
  p.decayed[0] = 0.75;
  p.sums[0]![0] = 42;
  table.pairIndex[1 * table.typeCount + 1] = 1;
  table.pairCount = 1;
  return table;
}

const value = (table: AggregateTable, name: string, row: number) => {
  const v = table.value(table.names.indexOf(name), row);
  return Number.isNaN(v) ? null : v;
};

describe('AggregateTable', () => {
  it('reads lead-level and per-type values, with zeros and nulls for rows and types without events', () => {
    const table = tableWithOnePair(1);
    expect(value(table, 'events.count', 1)).toBe(3);
    expect(value(table, 'events.count.7d', 1)).toBe(1);
    expect(value(table, 'events.days_since_first', 1)).toBe(9.25);
    expect(value(table, 'events.click.count', 1)).toBe(2);
    expect(value(table, 'events.click.days_since_last', 1)).toBe(1.5);
    expect(value(table, 'events.click.seconds.sum', 1)).toBe(42);
    expect(value(table, 'events.view.count', 1)).toBe(0);
    expect(value(table, 'events.view.days_since_last', 1)).toBeNull();
    expect(value(table, 'events.count', 0)).toBe(0);
    expect(value(table, 'events.days_since_last', 0)).toBeNull();
    expect(table.frameValues(table.names.indexOf('events.click.decayed'))).toEqual(numberValues([0, 0.75, 0]));
    expect(table.frameValues(table.names.indexOf('events.click.days_since_last'))).toEqual(
      numberValues([null, 1.5, null]),
    );
  });

  it('keeps every pair and the columns it reads from when it makes room for more pairs', () => {
    const table = tableWithOnePair(1);
    table.reservePairs(1000);
    expect(table.pairs.count.length).toBeGreaterThanOrEqual(1000);
    expect(value(table, 'events.click.count', 1)).toBe(2);
    expect(value(table, 'events.click.count.7d', 1)).toBe(1);
    expect(value(table, 'events.click.days_since_last', 1)).toBe(1.5);
    expect(value(table, 'events.click.decayed', 1)).toBe(0.75);
    expect(value(table, 'events.click.seconds.sum', 1)).toBe(42);
    // New pairs are written into the new columns, and read from them.
    table.pairs.count[1] = 7;
    table.pairIndex[2 * table.typeCount] = 2;
    table.pairCount = 2;
    expect(value(table, 'events.view.count', 2)).toBe(7);
    expect(table.frameValues(table.names.indexOf('events.view.count'))).toEqual(numberValues([0, 0, 7]));
  });

  it('names the last type from its code: configured, not configured, none', () => {
    const table = tableWithOnePair(4);
    const webinar = table.otherTypeCode('webinar');
    expect(webinar).toBeLessThan(0);
    expect(table.otherTypeCode('webinar')).toBe(webinar);
    expect(table.otherTypeCode('download')).not.toBe(webinar);
    table.lastTypeCode[2] = webinar;
    expect(table.lastType).toEqual([null, 'click', 'webinar']);
    expect(table.typeName(1)).toBe('view');
  });

  it('maps its dense columns without changing them', () => {
    const table = new AggregateTable(5000, options, 1);
    table.prefault();
    for (const column of [table.rows.count, table.rows.first, table.pairIndex, table.lastTypeCode])
      expect(column.every((v) => v === 0)).toBe(true);
  });
});
