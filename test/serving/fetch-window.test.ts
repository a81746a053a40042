import { describe, expect, it } from 'vitest';
import { FetchWindow, leadsOfJob } from '../../serving/fetch-window.ts';

describe('FetchWindow', () => {
  it('takes the full concurrency for single-lead jobs', () => {
    const applied: number[] = [];
    const w = new FetchWindow(64, 5000, (n) => applied.push(n));
    for (let i = 0; i < 10; i++) w.observe(1);
    expect(w.current).toBe(64);
    expect(applied).toEqual([]);
  });

  it('narrows at once to maxLeadsInFlight / leads per job when a batch job starts', () => {
    const applied: number[] = [];
    const w = new FetchWindow(64, 5000, (n) => applied.push(n));
    w.observe(1000);
    expect(w.current).toBe(5);
    expect(applied).toEqual([5]);
    w.observe(1000);
    expect(applied).toEqual([5]);
    // A job bigger than the budget still goes through, one at a time.
    w.observe(20_000);
    expect(w.current).toBe(1);
  });

  it('widens again gradually as single-lead jobs come back', () => {
    const applied: number[] = [];
    const w = new FetchWindow(64, 5000, (n) => applied.push(n));
    w.observe(1000);
    w.observe(1);
    // 1000 + (1 - 1000) * 0.2 = 800.2 leads per job: 6 jobs.
    expect(w.current).toBe(6);
    for (let i = 0; i < 40; i++) w.observe(1);
    expect(w.current).toBe(64);
    expect(applied[0]).toBe(5);
    expect(applied.at(-1)).toBe(64);
    // Never more than the concurrency, never fewer than one.
    expect(Math.max(...applied)).toBeLessThanOrEqual(64);
    expect(Math.min(...applied)).toBeGreaterThanOrEqual(1);
  });

  it('refuses a window below one job or one lead', () => {
    expect(() => new FetchWindow(0, 10, () => {})).toThrow(/maxJobs/);
    expect(() => new FetchWindow(4, 0, () => {})).toThrow(/maxLeadsInFlight/);
  });
});

describe('leadsOfJob', () => {
  it('counts the leads of a score-batch job and 1 for anything else', () => {
    expect(leadsOfJob('score-batch', { leads: [{}, {}, {}] })).toBe(3);
    expect(leadsOfJob('score-batch', { leads: 'many' })).toBe(1);
    expect(leadsOfJob('score-batch', null)).toBe(1);
    expect(leadsOfJob('score', { lead: {} })).toBe(1);
    expect(leadsOfJob('event', { leads: [{}, {}] })).toBe(1);
  });
});
