import type { ReportDataInput } from '../../../pipelines/report/report-data.ts';

/**
 * Ten leads, three conversions, small enough to work every chart out by hand (the
 * expectations in the tests are derived in their comments). Rule points tie, the model's
 * probabilities do not; rule tier D is empty.
 */
export function smallCase(): ReportDataInput {
  return {
    title: 'Small <case>',
    provenance: { dataFingerprint: 'sha256:abc', modelVersion: 'v-test', generatedAt: '2026-11-23T10:00:00Z' },
    modelTiers: ['hot', 'warm', 'cold'],
    ruleTiers: ['A', 'B', 'C', 'D'],
    rows: {
      label: [1, 0, 1, 0, 0, 1, 0, 0, 0, 0],
      modelProbability: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05],
      ruleScore: [30, 30, 10, 10, 10, 20, 0, 0, 0, 0],
      modelTier: ['hot', 'hot', 'hot', 'warm', 'warm', 'warm', 'cold', 'cold', 'cold', 'cold'],
      ruleTier: ['A', 'A', 'B', 'B', 'B', 'A', 'C', 'C', 'C', 'C'],
    },
    featureImportances: [
      { feature: 'a', weight: 0.5 },
      { feature: 'b', weight: -2 },
      { feature: 'c', weight: 1 },
      { feature: 'd', weight: 0 },
    ],
  };
}

/** Cut-offs for the tiers of `smallCase` (and of `syntheticReportData`): hot, warm, cold; A to D. */
export function tierCutoffs(): NonNullable<ReportDataInput['tierCutoffs']> {
  return {
    model: [
      { tier: 'hot', from: 45.5 },
      { tier: 'warm', from: 17 },
      { tier: 'cold', from: null },
    ],
    rules: [
      { tier: 'A', from: 40 },
      { tier: 'B', from: 25 },
      { tier: 'C', from: 10 },
      { tier: 'D', from: null },
    ],
    modelPolicy: 'The model’s tiers are set by share of leads.',
    rulesPolicy: 'The rules’ tiers are fixed point thresholds.',
  };
}
