import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../features/feature-spec.ts';
import {
  formatValue,
  reasonLayout,
  topReasons,
  topReasonsAt,
  type Reason,
  type ReasonLayout,
} from '../../models/reasons.ts';
import type { CellValue } from '../../features/frame.ts';

const spec = {
  version: 1,
  encoders: [
    {
      kind: 'numeric',
      source: 'TotalVisits',
      label: 'TotalVisits',
      transform: 'none',
      median: 3,
      mean: 0,
      std: 1,
      missingIndicator: true,
    },
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
    const raw = { TotalVisits: 12, 'Last Activity': 'SMS Sent', 'Do Not Email': true } as Record<
      string,
      string | number | boolean
    >;
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

  it('words and orders reasons as sorting every source would, ties and repeated values included', () => {
    // Sum per source, word every non-zero one, sort by size then text, keep k.
    const reference = (
      c: ArrayLike<number>,
      layout: ReasonLayout,
      raw: (s: string) => CellValue | undefined,
      k: number,
    ): Reason[] => {
      const all: Reason[] = [];
      for (const s of layout.sources) {
        let sum = 0;
        for (let j = s.start; j < s.end; j++) sum += c[j] ?? 0;
        if (sum === 0 || !Number.isFinite(sum)) continue;
        all.push({ text: `${s.label} = ${formatValue(raw(s.source), s.kind)}`, contribution: sum });
      }
      all.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.text < b.text ? -1 : 1));
      return all.slice(0, k);
    };
    const wide = {
      ...spec,
      encoders: Array.from({ length: 12 }, (_, i) => ({
        kind: 'numeric',
        source: `c${i}`,
        label: `C${i}`,
        transform: 'none',
        median: 0,
        mean: 0,
        std: 1,
        missingIndicator: i % 2 === 0,
      })),
    } as unknown as FeatureSpec;
    const layout = reasonLayout(wide);
    const width = layout.sources[layout.sources.length - 1]!.end;
    let seed = 3;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 400; round++) {
      // Few distinct magnitudes, so ties are common; some zeros and a NaN now and then.
      const c = Float32Array.from({ length: width * 2 }, () =>
        next() < 0.3 ? 0 : (Math.floor(next() * 4) - 2) * 0.5 || (next() < 0.02 ? NaN : 0.25),
      );
      const values = Object.fromEntries(
        layout.sources.map((s) => [s.source, next() < 0.5 ? Math.floor(next() * 3) : next() < 0.5 ? null : 1.23456]),
      );
      const raw = (s: string) => values[s];
      const k = Math.floor(next() * 5);
      const row = round % 2;
      expect(topReasonsAt(c, row * width, layout, raw, k)).toEqual(
        reference(c.subarray(row * width, (row + 1) * width), layout, raw, k),
      );
    }
  });
});
