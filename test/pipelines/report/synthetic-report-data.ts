import { seededRandom } from '../../../models/seeded-random.ts';
import type { ReportDataInput } from '../../../pipelines/report/report-data.ts';

/**
 * A plausible report input of `n` leads: a latent propensity drives conversion, the model
 * sees it well, the rules coarsely (integer points with many ties).
 */
export function syntheticReportData(n = 2000, seed = 7): ReportDataInput {
  const rand = seededRandom(seed);
  const rows: ReportDataInput['rows'] = { label: [], modelProbability: [], ruleScore: [], modelTier: [], ruleTier: [] };
  for (let i = 0; i < n; i++) {
    const latent = (rand() + rand() + rand() - 1.5) * 3;
    const p = 1 / (1 + Math.exp(-(latent - 1.5)));
    const label = rand() < p ? 1 : 0;
    const modelP = 1 / (1 + Math.exp(-(latent - 1.5 + (rand() - 0.5) * 1.2)));
    const points = Math.round((latent + (rand() - 0.5) * 4) * 10) + 20;
    rows.label.push(label);
    rows.modelProbability.push(modelP);
    rows.ruleScore.push(points);
    rows.modelTier.push(modelP >= 0.5 ? 'hot' : modelP >= 0.2 ? 'warm' : 'cold');
    rows.ruleTier.push(points >= 40 ? 'A' : points >= 25 ? 'B' : points >= 10 ? 'C' : 'D');
  }
  return {
    provenance: {
      dataFingerprint: 'sha256:3f5a9c0d1e2b4a6f8c7d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
      modelVersion: '2026-11-23T09-00-00Z-logistic',
      generatedAt: '2026-11-23T09:30:00Z',
      dataFile: 'data/bank-marketing/test.csv',
      modelKind: 'logistic',
      rulesName: 'marketing points v3',
      rows: 'held-out test rows',
    },
    modelTiers: ['hot', 'warm', 'cold'],
    ruleTiers: ['A', 'B', 'C', 'D'],
    rows,
    featureImportances: [
      { feature: 'Last Activity = SMS Sent', weight: 1.42 },
      { feature: 'Total Time Spent on Website', weight: 1.1 },
      { feature: 'Lead Origin = Lead Add Form', weight: 0.95 },
      { feature: 'Do Not Email', weight: -0.81 },
      { feature: 'What is your current occupation = Unemployed', weight: -0.4 },
      { feature: 'TotalVisits', weight: 0.22 },
      { feature: 'Lead Source = Olark Chat', weight: -0.63 },
      { feature: 'Page Views Per Visit', weight: -0.05 },
    ],
  };
}
