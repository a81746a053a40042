import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeLead } from '../../features/encode-features.ts';
import { featureInfo, featureNames, FeatureSpec, specHash } from '../../features/feature-spec.ts';
import { fitFeatureSpec } from '../../features/fit-feature-spec.ts';
import { frameRow, type Frame, numberValues } from '../../features/frame.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1); // a Monday

function frame(): Frame {
  return {
    source: 'leads.csv',
    rowCount: 4,
    ids: ['a', 'b', 'c', 'd'],
    rowNumbers: [1, 2, 3, 4],
    columns: [
      { name: 'visits', type: 'numeric', values: numberValues([1, 3, null, 5]) },
      { name: 'source', type: 'categorical', values: ['ads', 'ads', 'web', null] },
      { name: 'opted', type: 'boolean', values: [true, false, null, true] },
      { name: 'created', type: 'timestamp', values: numberValues([t0, t0 + DAY + 3_600_000, null, t0 - 2 * DAY]) },
      { name: 'email', type: 'text', values: ['x@gmail.com', 'y@acme.io', 'nonsense', null] },
      { name: 'notes', type: 'text', values: ['a', 'b', 'c', 'd'] },
    ],
  };
}

const columns = {
  source: { type: 'categorical' as const, minFrequency: 2 },
  email: { type: 'text' as const, email: true },
};

describe('fitFeatureSpec', () => {
  const spec = fitFeatureSpec(frame(), columns, { asOf: t0 + 10 * DAY });

  it('fits median, mean and std of the imputed values', () => {
    const e = spec.encoders[0]!;
    expect(e.kind).toBe('numeric');
    if (e.kind !== 'numeric') return;
    // Present 1, 3, 5: median 3; imputed 1, 3, 3, 5: mean 3, population std sqrt(2).
    expect(e.median).toBe(3);
    expect(e.mean).toBe(3);
    expect(e.std).toBeCloseTo(Math.SQRT2, 12);
    expect(e.missingIndicator).toBe(true);
  });

  it('keeps categories seen minFrequency times, skips free text, names every output', () => {
    expect(spec.encoders.map((e) => e.source)).toEqual(['visits', 'source', 'opted', 'created', 'email']);
    expect(featureNames(spec)).toEqual([
      'visits',
      'visits.missing',
      'source=ads',
      'source=(other)',
      'source=(missing)',
      'opted',
      'opted.missing',
      'created.age_days',
      'created.missing',
      'created.dow=Sun',
      'created.dow=Mon',
      'created.dow=Tue',
      'created.dow=Wed',
      'created.dow=Thu',
      'created.dow=Fri',
      'created.dow=Sat',
      'created.hour',
      'email.free_mail',
      'email.company_domain',
      'email.missing',
    ]);
    expect(featureInfo(spec)[2]).toEqual({
      name: 'source=ads',
      source: 'source',
      label: 'source = ads',
      role: 'category',
    });
    expect(featureInfo(spec)[0]!.role).toBe('value');
  });

  it('fits on the given rows only', () => {
    const s = fitFeatureSpec(frame(), columns, { rows: [0, 1], asOf: t0 });
    const e = s.encoders[0]!;
    expect(e.kind === 'numeric' && [e.median, e.missingIndicator]).toEqual([2, false]);
    expect(s.encoders[2]).toEqual({ kind: 'boolean', source: 'opted', label: 'opted', missingIndicator: false });
  });

  it('round-trips through JSON with the same hash, and the hash ignores key order', () => {
    const back = FeatureSpec.parse(JSON.parse(JSON.stringify(spec)));
    expect(specHash(back)).toBe(specHash(spec));
    const reordered = Object.fromEntries(Object.entries(spec).reverse()) as FeatureSpec;
    expect(specHash(reordered)).toBe(specHash(spec));
    const changed = { ...spec, missingValues: ['Select'] };
    expect(specHash(changed)).not.toBe(specHash(spec));
  });
});

describe('encodeFrame and encodeLead', () => {
  const f = frame();
  const asOf = t0 + 10 * DAY;
  const spec = fitFeatureSpec(f, columns, { asOf });
  const m = encodeFrame(spec, f, { asOf });
  const row = (r: number) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols));

  it('encodes hand-computed values', () => {
    const s2 = Math.SQRT2;
    const ts = spec.encoders[3]!;
    if (ts.kind !== 'timestamp') throw new Error('expected timestamp');
    // Ages 10, 8.958.., (missing -> median 10), 12 days.
    expect(ts.medianAgeDays).toBe(10);
    const age0 = (10 - ts.ageMean) / ts.ageStd;
    const hour1 = (1 - ts.hourMean) / ts.hourStd;
    const r0 = row(0);
    expect(r0[0]).toBeCloseTo((1 - 3) / s2, 6);
    expect(r0.slice(1, 7)).toEqual([0, 1, 0, 0, 1, 0]);
    expect(r0[7]).toBeCloseTo(age0, 6);
    expect(r0.slice(8, 16)).toEqual([0, 0, 1, 0, 0, 0, 0, 0]); // Monday
    expect(r0.slice(17)).toEqual([1, 0, 0]);
    const r1 = row(1);
    expect(r1.slice(9, 16)).toEqual([0, 0, 1, 0, 0, 0, 0].map((_, i) => (i === 2 ? 1 : 0))); // Tuesday
    expect(r1[16]).toBeCloseTo(hour1, 6);
    expect(r1.slice(17)).toEqual([0, 1, 0]);
  });

  it('imputes missing values and sets the missing outputs', () => {
    const r2 = row(2);
    expect(r2[0]).toBeCloseTo(0, 6); // median 3 == mean 3
    expect(r2[1]).toBe(1);
    expect(r2.slice(2, 5)).toEqual([0, 1, 0]); // "web" seen once: other
    expect(r2.slice(5, 7)).toEqual([0, 1]);
    expect(r2[8]).toBe(1);
    expect(r2.slice(9, 17)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r2.slice(17)).toEqual([0, 0, 1]); // not an address
    expect(row(3).slice(2, 5)).toEqual([0, 0, 1]);
  });

  it('gives the same vector online for every row', () => {
    for (let r = 0; r < f.rowCount; r++) {
      expect(Array.from(encodeLead(spec, frameRow(f, r), [], asOf))).toEqual(row(r));
    }
  });

  it('treats unseen categories as other and loose JSON values like the loader', () => {
    const v = encodeLead(
      spec,
      { visits: '5', source: 'fax', opted: 'yes', created: '2024-01-02T01:00:00', email: 'A@Acme.IO' },
      [],
      asOf,
    );
    expect(Array.from(v)).toEqual(
      row(1).map((x, j) => (j === 0 ? v[0]! : j < 5 ? [0, 0, 0, 1, 0][j]! : j === 5 ? 1 : x)),
    );
    expect(v[0]).toBeCloseTo((5 - 3) / Math.SQRT2, 6);
  });

  it('rejects a value of the wrong kind, naming the attribute', () => {
    expect(() => encodeLead(spec, { visits: 'many' }, [], asOf)).toThrow(/attribute "visits": expected a number/);
  });

  it('fails naming a column the data lacks', () => {
    const g = { ...f, columns: f.columns.filter((c) => c.name !== 'opted') };
    expect(() => encodeFrame(spec, g, { asOf })).toThrow(/leads.csv: column "opted"/);
  });
});
