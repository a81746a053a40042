import { describe, expect, it } from 'vitest';
import { ScoreJobData, scoreBatchJobData } from '../../serving/job-schemas.ts';
import { quickScoreBatchJobData, quickScoreBatchResult, quickScoreJobData } from '../../serving/payload-guards.ts';
import { ScoreBatchResult } from '../../serving/result-schemas.ts';

/** A small deterministic generator (tests never use Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const oddValues: unknown[] = [
  null,
  undefined,
  '',
  'x',
  0,
  -1.5,
  Number.NaN,
  Infinity,
  true,
  [],
  [1],
  {},
  { a: 1 },
  'a'.repeat(300),
];

/** A valid lead payload, then (sometimes) one random corruption of it. */
function makeLead(r: () => number, corrupt: boolean): Record<string, unknown> {
  const lead: Record<string, unknown> = {
    leadId: `lead-${Math.floor(r() * 1000)}`,
    attributes: { industry: 'Education', employees: 366, free: false, note: null },
  };
  if (r() < 0.5) lead['asOf'] = 1_700_000_000_000;
  if (r() < 0.5) {
    lead['events'] = Array.from({ length: Math.floor(r() * 3) }, (_, i) => {
      const e: Record<string, unknown> = { type: 'visit', at: 1_690_000_000_000 + i };
      if (r() < 0.3) e['eventId'] = `e${i}`;
      if (r() < 0.3) e['leadId'] = 'same';
      if (r() < 0.3) e['properties'] = { seconds: 12 };
      return e;
    });
  }
  if (!corrupt) return lead;
  const odd = oddValues[Math.floor(r() * oddValues.length)];
  const where = Math.floor(r() * 8);
  const events = lead['events'] as Record<string, unknown>[] | undefined;
  if (where === 0) lead['leadId'] = odd;
  else if (where === 1) lead['attributes'] = odd;
  else if (where === 2) (lead['attributes'] as Record<string, unknown>)['x'] = odd;
  else if (where === 3) lead['asOf'] = odd;
  else if (where === 4) lead['events'] = odd;
  else if (where === 5 && events?.[0])
    events[0][['type', 'at', 'eventId', 'leadId', 'properties'][Math.floor(r() * 5)]!] = odd;
  else if (where === 6 && events?.[0]) events[0]['properties'] = { seconds: odd };
  else lead[r() < 0.5 ? 'colour' : 'events'] = odd;
  return lead;
}

/** A valid lead result of a batch, then (sometimes) one random corruption of it. */
function makeResult(r: () => number, corrupt: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {
    leadId: `lead-${Math.floor(r() * 1000)}`,
    probability: r(),
    score: Math.floor(r() * 100),
    tier: 'warm',
    ruleScore: r() < 0.5 ? null : 12.5,
    ruleTier: r() < 0.5 ? null : 'MQL',
    reasons: Array.from({ length: Math.floor(r() * 4) }, (_, i) => ({ text: `x${i} = 1`, contribution: r() - 0.5 })),
    asOf: 1_700_000_000_000,
  };
  if (r() < 0.2) result['warnings'] = ['unknown attribute ignored'];
  if (r() < 0.2) result['modelVersion'] = 'v2';
  if (!corrupt) return result;
  const odd = oddValues[Math.floor(r() * oddValues.length)];
  const fields = [...Object.keys(result), 'scoredAt', 'colour'];
  const where = Math.floor(r() * 4);
  const reasons = result['reasons'] as Record<string, unknown>[];
  if (where === 0 && reasons[0]) reasons[0][['text', 'contribution', 'extra'][Math.floor(r() * 3)]!] = odd;
  else if (where === 1 && result['warnings']) (result['warnings'] as unknown[])[0] = odd;
  else result[fields[Math.floor(r() * fields.length)]!] = odd;
  return result;
}

/**
 * False when the quick guard refused; when it accepted, asserts the schema accepts too and
 * parses to the same value, and returns true.
 */
function agreesWithSchema(quick: unknown, parsed: { success: boolean; data?: unknown }): boolean {
  if (quick === undefined) return false;
  expect(parsed.success).toBe(true);
  expect(quick).toEqual(parsed.data);
  return true;
}

describe('payload guards', () => {
  it('accept only score payloads the schema accepts, unchanged, and every valid one', () => {
    const r = rng(11);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const corrupt = r() < 0.6;
      const data: Record<string, unknown> = { lead: makeLead(r, corrupt) };
      if (r() < 0.3) data['store'] = r() < 0.8 ? r() < 0.5 : oddValues[Math.floor(r() * oddValues.length)];
      if (r() < 0.05) data['extra'] = 1;
      const parsed = ScoreJobData.safeParse(data);
      const quick = quickScoreJobData(data);
      if (agreesWithSchema(quick, parsed)) accepted++;
      else if (!corrupt && parsed.success) {
        // a valid payload without oddities must take the quick path
        expect(JSON.stringify(data)).toContain('"extra"');
      }
    }
    expect(accepted).toBeGreaterThan(500);
  });

  it('accept only batch payloads the schema accepts, within the batch limit', () => {
    const r = rng(5);
    const schema = scoreBatchJobData(4);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(r() * 6);
      const corrupt = r() < 0.4;
      const data = { leads: Array.from({ length: n }, (_, k) => makeLead(r, corrupt && k === 0)) };
      const parsed = schema.safeParse(data);
      const quick = quickScoreBatchJobData(data, 4);
      if (agreesWithSchema(quick, parsed)) accepted++;
      else if (!corrupt) {
        expect(parsed.success && n >= 1 && n <= 4).toBe(false);
      }
    }
    expect(accepted).toBeGreaterThan(300);
  });

  it('accept only batch results the schema accepts, unchanged, and every valid one', () => {
    const r = rng(23);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const corrupt = r() < 0.5;
      const n = Math.floor(r() * 4);
      const value: Record<string, unknown> = {
        modelVersion: 'v1',
        scoredAt: 1_700_000_000_000,
        results: Array.from({ length: n }, (_, k) => makeResult(r, corrupt && k === 0)),
      };
      if (corrupt && r() < 0.2) value[['modelVersion', 'scoredAt', 'results', 'extra'][Math.floor(r() * 4)]!] = 'x';
      const parsed = ScoreBatchResult.safeParse(value);
      const quick = quickScoreBatchResult(value);
      if (agreesWithSchema(quick, parsed)) accepted++;
      else expect(corrupt).toBe(true);
    }
    expect(accepted).toBeGreaterThan(1500);
  });

  it('leave objects that are not plain JSON objects to the schema', () => {
    const attributes = Object.create({ inherited: 1 }) as Record<string, unknown>;
    expect(quickScoreJobData({ lead: { leadId: 'a', attributes } })).toBeUndefined();
    expect(quickScoreJobData({ lead: { leadId: 'a', attributes: JSON.parse('{"__proto__": 1}') } })).toBeUndefined();
    expect(quickScoreJobData('not an object')).toBeUndefined();
    expect(quickScoreJobData({ lead: { leadId: 'a', attributes: {} } })).toEqual({
      lead: { leadId: 'a', attributes: {} },
    });
  });
});
