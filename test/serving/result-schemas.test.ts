import { describe, expect, it } from 'vitest';
import { batchScoreResults, ScoreBatchResult } from '../../serving/result-schemas.ts';

describe('ScoreBatchResult', () => {
  const lead = {
    leadId: 'a',
    probability: 0.25,
    score: 25,
    tier: 'B',
    ruleScore: null,
    ruleTier: null,
    reasons: [{ text: 'x = 1', contribution: 0.1234 }],
    asOf: 5,
  };

  it('gives every lead the batch version and time, unless a lead carries its own version', () => {
    const batch = ScoreBatchResult.parse({
      modelVersion: 'v1',
      scoredAt: 10,
      results: [lead, { ...lead, leadId: 'b', modelVersion: 'v2' }],
    });
    expect(batchScoreResults(batch)).toEqual([
      { ...lead, modelVersion: 'v1', scoredAt: 10 },
      { ...lead, leadId: 'b', modelVersion: 'v2', scoredAt: 10 },
    ]);
  });

  it('refuses a lead with a time of its own or an unknown field', () => {
    expect(
      ScoreBatchResult.safeParse({ modelVersion: 'v1', scoredAt: 10, results: [{ ...lead, scoredAt: 3 }] }).success,
    ).toBe(false);
    expect(
      ScoreBatchResult.safeParse({ modelVersion: 'v1', scoredAt: 10, results: [{ ...lead, extra: 1 }] }).success,
    ).toBe(false);
    expect(ScoreBatchResult.safeParse({ results: [lead] }).success).toBe(false);
  });
});
