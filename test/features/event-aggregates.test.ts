import { describe, expect, it } from 'vitest';
import { aggregateColumns, eventAggregates, type EventAggregateOptions } from '../../features/event-aggregates.ts';
import type { EngagementEvent } from '../../features/events.ts';

const DAY = 86_400_000;
const asOf = Date.UTC(2025, 5, 30, 12); // 2025-06-30 12:00 UTC
const options: EventAggregateOptions = {
  types: ['view', 'click'],
  windowsDays: [1, 7],
  halfLifeDays: 2,
  numericProperties: ['seconds'],
};
const ev = (type: string, daysBefore: number, seconds?: number): EngagementEvent => ({
  leadId: 'L1',
  type,
  at: asOf - daysBefore * DAY,
  ...(seconds === undefined ? {} : { properties: { seconds } }),
});

describe('aggregateColumns', () => {
  it('names every aggregate in a fixed order', () => {
    expect(aggregateColumns(options).map((c) => c.name)).toEqual([
      'events.count',
      'events.count.1d',
      'events.count.7d',
      'events.active_days',
      'events.days_since_last',
      'events.days_since_first',
      'events.view.count',
      'events.view.count.1d',
      'events.view.count.7d',
      'events.view.days_since_last',
      'events.view.decayed',
      'events.view.seconds.sum',
      'events.click.count',
      'events.click.count.1d',
      'events.click.count.7d',
      'events.click.days_since_last',
      'events.click.decayed',
      'events.click.seconds.sum',
      'events.last_type',
    ]);
  });

  it('rejects a type listed twice', () => {
    expect(() => aggregateColumns({ ...options, types: ['view', 'view'] })).toThrow(/"view" is listed twice/);
  });
});

describe('eventAggregates', () => {
  it('computes hand-worked values', () => {
    const events = [ev('view', 0.5, 30), ev('view', 2, 10), ev('click', 2), ev('view', 10), ev('other', 3)];
    const a = eventAggregates(events, asOf, options);
    expect(a['events.count']).toBe(5);
    expect(a['events.count.1d']).toBe(1);
    expect(a['events.count.7d']).toBe(4);
    // Days (UTC): 06-30 (0.5 d before 12:00), 06-28 (twice), 06-27, 06-20.
    expect(a['events.active_days']).toBe(4);
    expect(a['events.days_since_last']).toBe(0.5);
    expect(a['events.days_since_first']).toBe(10);
    expect(a['events.view.count']).toBe(3);
    expect(a['events.view.count.7d']).toBe(2);
    expect(a['events.view.days_since_last']).toBe(0.5);
    // Half-life 2 days: 2^-0.25 + 2^-1 + 2^-5.
    expect(a['events.view.decayed']).toBeCloseTo(2 ** -0.25 + 0.5 + 1 / 32, 12);
    expect(a['events.view.seconds.sum']).toBe(40);
    expect(a['events.click.count']).toBe(1);
    expect(a['events.click.decayed']).toBeCloseTo(0.5, 12);
    expect(a['events.click.seconds.sum']).toBe(0);
    expect(a['events.last_type']).toBe('view');
  });

  it('ignores events exactly at and after asOf', () => {
    const a = eventAggregates([ev('click', 0), ev('click', -1), ev('view', 1)], asOf, options);
    expect(a['events.count']).toBe(1);
    expect(a['events.click.count']).toBe(0);
    expect(a['events.last_type']).toBe('view');
    expect(a['events.days_since_last']).toBe(1);
  });

  it('counts an event exactly at the window start as inside the window', () => {
    const a = eventAggregates([ev('view', 7), ev('view', 7.000001)], asOf, options);
    expect(a['events.count.7d']).toBe(1);
  });

  it('gives zeros and null recency without events', () => {
    const a = eventAggregates([], asOf, options);
    expect(a['events.count']).toBe(0);
    expect(a['events.active_days']).toBe(0);
    expect(a['events.days_since_last']).toBeNull();
    expect(a['events.days_since_first']).toBeNull();
    expect(a['events.click.days_since_last']).toBeNull();
    expect(a['events.click.decayed']).toBe(0);
    expect(a['events.last_type']).toBeNull();
  });

  it('breaks a tie in the last event time by the greatest type name, whatever the order', () => {
    const tied = [ev('click', 1), ev('view', 1), ev('apply', 1)];
    expect(eventAggregates(tied, asOf, options)['events.last_type']).toBe('view');
    expect(eventAggregates([...tied].reverse(), asOf, options)['events.last_type']).toBe('view');
  });

  it('counts unconfigured types in totals and the last type only', () => {
    const a = eventAggregates([ev('view', 3), ev('webinar', 2)], asOf, options);
    expect(a['events.count']).toBe(2);
    expect((a['events.view.count'] as number) + (a['events.click.count'] as number)).toBe(1);
    expect(a['events.last_type']).toBe('webinar');
  });
});
