import { describe, expect, it } from 'vitest';
import { numberValues } from '../../features/frame.ts';
import { typedCell } from '../../features/cell-values.ts';
import { encodeFrame, encodeLead, quantilePosition } from '../../features/encode-features.ts';
import { fitFeatureSpec } from '../../features/fit-feature-spec.ts';
import type { ColumnEncoder } from '../../features/feature-spec.ts';
import type { Frame } from '../../features/frame.ts';

const frame = (values: (number | null)[]): Frame => ({
  source: 'x.csv',
  rowCount: values.length,
  ids: values.map((_, i) => String(i)),
  rowNumbers: values.map((_, i) => i + 1),
  columns: [{ name: 'n', type: 'numeric', values: numberValues(values) }],
});

describe('numeric transforms', () => {
  it('log: log1p of max(x, 0), then standardised', () => {
    const f = frame([0, Math.E - 1, -5]);
    const spec = fitFeatureSpec(f, { n: { type: 'numeric', transform: 'log' } });
    const e = spec.encoders[0]!;
    if (e.kind !== 'numeric') throw new Error('numeric expected');
    // Transformed: 0, 1, 0 -> mean 1/3, std sqrt(2/9).
    expect(e.mean).toBeCloseTo(1 / 3, 12);
    expect(e.std).toBeCloseTo(Math.sqrt(2 / 9), 12);
    expect(encodeLead(spec, { n: Math.E - 1 }, [], 0)[0]).toBeCloseTo((1 - 1 / 3) / Math.sqrt(2 / 9), 5);
  });

  it('quantile: position among training quantiles, 0 below and 1 above the range', () => {
    const f = frame([1, 2, 3, 4, 5]);
    const spec = fitFeatureSpec(f, { n: { type: 'numeric', transform: 'quantile' } });
    const e = spec.encoders[0]!;
    if (e.kind !== 'numeric') throw new Error('numeric expected');
    expect(e.quantiles).toHaveLength(101);
    expect(quantilePosition(e.quantiles!, 3)).toBeCloseTo(0.5, 12);
    expect(quantilePosition(e.quantiles!, 2.5)).toBeCloseTo(0.375, 12);
    expect(quantilePosition(e.quantiles!, -10)).toBe(0);
    expect(quantilePosition(e.quantiles!, 10)).toBe(1);
    const m = encodeFrame(spec, f);
    expect(Array.from(encodeLead(spec, { n: 2 }, [], 0))).toEqual([m.data[1]]);
  });

  it('quantile positions are flat across repeated cut points', () => {
    expect(quantilePosition([0, 1, 1, 1, 2], 1)).toBe(0.75);
    expect(quantilePosition([0, 1, 1, 1, 2], 1.5)).toBeCloseTo(0.875, 12);
  });

  it('a constant column encodes as 0 rather than dividing by zero', () => {
    const spec = fitFeatureSpec(frame([4, 4, 4]), {});
    expect(Array.from(encodeFrame(spec, frame([4, 4, 4])).data)).toEqual([0, 0, 0]);
  });
});

describe('typedCell (online values)', () => {
  const numeric: ColumnEncoder = {
    kind: 'numeric',
    source: 'n',
    label: 'n',
    transform: 'none',
    median: 0,
    mean: 0,
    std: 1,
    missingIndicator: false,
  };
  const ts: ColumnEncoder = {
    kind: 'timestamp',
    source: 't',
    label: 't',
    medianAgeDays: 0,
    ageMean: 0,
    ageStd: 1,
    hourMean: 0,
    hourStd: 1,
    missingIndicator: false,
  };
  const cat: ColumnEncoder = { kind: 'categorical', source: 'c', label: 'c', vocabulary: [] };
  const none = new Set<string>();

  it('reads ISO text without an offset as UTC, like the loader', () => {
    expect(typedCell(ts, '2025-03-01 10:00', none)).toBe(Date.UTC(2025, 2, 1, 10));
    expect(typedCell(ts, '2025-03-01', none)).toBe(Date.UTC(2025, 2, 1));
    expect(typedCell(ts, '2025-03-01T10:00:00+02:00', none)).toBe(Date.UTC(2025, 2, 1, 8));
  });

  it('applies missing tokens and trims text', () => {
    expect(typedCell(cat, ' Select ', new Set(['Select']))).toBeNull();
    expect(typedCell(cat, ' Email ', none)).toBe('Email');
    expect(typedCell(cat, 3, none)).toBe('3');
    expect(typedCell(numeric, '', none)).toBeNull();
    expect(typedCell(numeric, ' 12.5 ', none)).toBe(12.5);
  });

  it('names the attribute when a value has the wrong kind', () => {
    expect(() => typedCell(ts, 'yesterday', none)).toThrow(
      /attribute "t": expected epoch milliseconds or an ISO 8601 date/,
    );
  });
});
