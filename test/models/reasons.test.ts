import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../features/feature-spec.ts';
import { formatValue, reasonLayout, topReasons } from '../../models/reasons.ts';

const spec = {
  version: 1,
  encoders: [
    { kind: 'numeric', source: 'TotalVisits', label: 'TotalVisits', transform: 'none', median: 3, mean: 0, std: 1, missingIndicator: true },
    { kind: 'categorical', source: 'Last Activity', label: 'Last Activity', vocabulary: ['SMS Sent', 'Email Opened'] },
    { kind: 'boolean', source: 'Do Not Email', label: 'Do Not Email', missingIndicator: false },
  ],
  referenceAsOf: null,
  missingValues: [],
} as unknown as FeatureSpec;

describe('reasons', () => {
  it('groups outputs by source column and words them with the raw value', () => {
    const layout = reasonLayout(spec);
    expect(layout.sources.map((s) => [s.source, s.start, s.end])).toEqual([
      ['TotalVisits', 0, 2],
      ['Last Activity', 2, 6],
      ['Do Not Email', 6, 7],
    ]);
    // TotalVisits: 0.5 + 0.1; Last Activity: 1.2 (SMS Sent) - 0.2; Do Not Email: -0.9
    const contributions = [0.5, 0.1, 1.2, 0, 0, -0.2, -0.9];
    const raw = { TotalVisits: 12, 'Last Activity': 'SMS Sent', 'Do Not Email': true } as Record<string, string | number | boolean>;
    const reasons = topReasons(contributions, layout, (s) => raw[s], 3);
    expect(reasons.map((r) => r.text)).toEqual(['Last Activity = SMS Sent', 'Do Not Email = yes', 'TotalVisits = 12']);
    expect(reasons[0]!.contribution).toBeCloseTo(1.0, 6);
    expect(reasons[1]!.contribution).toBeCloseTo(-0.9, 6);
    expect(topReasons(contributions, layout, (s) => raw[s], 1)).toHaveLength(1);
  });

  it('skips zero contributions and formats values', () => {
    const layout = reasonLayout(spec);
    expect(topReasons([0, 0, 0, 0, 0, 0, 0], layout, () => null)).toEqual([]);
    expect(formatValue(null, 'numeric')).toBe('missing');
    expect(formatValue(0.123456, 'numeric')).toBe('0.1235');
    expect(formatValue(Date.UTC(2024, 2, 1), 'timestamp')).toBe('2024-03-01');
    expect(formatValue(false, 'boolean')).toBe('no');
  });
});
