import { describe, expect, it } from 'vitest';
import { numberValues } from '../../../features/frame.ts';
import type { Frame, FrameColumn } from '../../../features/frame.ts';
import { compareDrift } from '../../../training/drift/compare-drift.ts';
import { DriftReference, categoricalReference, driftReference } from '../../../training/drift/drift-reference.ts';
import { seededRandom } from '../../../training/random.ts';

function frameOf(columns: FrameColumn[]): Frame {
  const rowCount = columns[0]?.values.length ?? 0;
  const ids = Array.from({ length: rowCount }, (_, i) => String(i + 1));
  return { source: 'memory', rowCount, ids, rowNumbers: ids.map(Number), columns };
}

/** Leads with a normal-ish spend, a channel mix and a flag; `shift` moves spend and the channel mix. */
function leads(n: number, seed: number, shift = 0): Frame {
  const random = seededRandom(seed);
  const spend: (number | null)[] = [];
  const channel: (string | null)[] = [];
  const flag: (boolean | null)[] = [];
  const created: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const normal = random() + random() + random() - 1.5;
    spend.push(random() < 0.05 ? null : 100 + 40 * normal + 40 * shift);
    const u = random();
    const webShare = 0.6 - 0.4 * shift;
    channel.push(u < webShare ? 'web' : u < 0.9 ? 'referral' : 'event');
    flag.push(random() < 0.3);
    created.push(1_700_000_000_000 + i * 60_000);
  }
  return frameOf([
    { name: 'spend', type: 'numeric', values: numberValues(spend) },
    { name: 'channel', type: 'categorical', values: channel },
    { name: 'opted_in', type: 'boolean', values: flag },
    { name: 'created', type: 'timestamp', values: numberValues(created) },
  ]);
}

describe('driftReference', () => {
  it('bins numeric columns by deciles, counts categories, skips timestamps, and parses back', () => {
    const ref = driftReference(
      leads(2000, 1),
      Array.from({ length: 2000 }, (_, i) => i / 2000),
    );
    expect(ref.features.map((f) => `${f.name}:${f.kind}`)).toEqual([
      'spend:numeric',
      'channel:categorical',
      'opted_in:categorical',
    ]);
    expect(ref.skipped).toEqual([{ name: 'created', reason: 'timestamp: later leads always differ' }]);
    const spend = ref.features[0]!;
    expect(spend.kind === 'numeric' && spend.edges.length).toBe(9);
    // Deciles of the scores 0, 0.0005, ..., 0.9995 hold 200 rows each.
    expect(ref.score?.proportions.slice(0, 10).every((p) => Math.abs(p - 0.1) < 1e-12)).toBe(true);
    expect(DriftReference.parse(JSON.parse(JSON.stringify(ref)))).toEqual(ref);
  });

  it('orders categories by frequency, ties by value', () => {
    expect(categoricalReference('c', ['b', 'a', 'b', null, 'a', 'c'])).toEqual({
      kind: 'categorical',
      name: 'c',
      categories: ['a', 'b', 'c'],
      proportions: [2 / 6, 2 / 6, 1 / 6, 0, 1 / 6],
      truncated: false,
    });
  });
});

describe('compareDrift', () => {
  it('matches a hand computation and calls out new and vanished categories', () => {
    const ref = driftReference(frameOf([{ name: 'c', type: 'categorical', values: ['a', 'a', 'b', null] }]));
    const report = compareDrift(ref, frameOf([{ name: 'c', type: 'categorical', values: ['a', 'c', 'c', null] }]));
    const c = report.features[0]!;
    // Shares a, b, other, missing: [0.5, 0.25, 0, 0.25] -> [0.25, 0, 0.5, 0.25], empty bins floored at 1e-4.
    expect(c.psi).toBeCloseTo(6.386261, 5);
    expect(c.flagged).toBe(true);
    expect(c.newCategories).toEqual([{ value: 'c', count: 2 }]);
    expect(c.missingCategories).toEqual([{ value: 'b', expected: 0.25 }]);
    expect(report.flagged).toEqual(['c']);
  });

  it('does not flag a fresh sample of the same population', () => {
    const ref = driftReference(leads(5000, 1));
    const report = compareDrift(ref, leads(5000, 2));
    expect(report.flagged).toEqual([]);
    for (const f of report.features) expect(f.psi).toBeLessThan(0.05);
  });

  it('flags a shifted copy: spend moved up one spread, channel mix changed', () => {
    const ref = driftReference(leads(5000, 1));
    const report = compareDrift(ref, leads(5000, 2, 1));
    expect(report.flagged.sort()).toEqual(['channel', 'spend']);
    expect(report.features.find((f) => f.name === 'opted_in')!.flagged).toBe(false);
  });

  it('compares scores when both sides have them, and lists absent and extra columns', () => {
    const base = leads(1000, 1);
    const ref = driftReference(
      base,
      Array.from({ length: 1000 }, (_, i) => (i % 100) / 100),
    );
    const newer = frameOf([
      ...base.columns.filter((c) => c.name !== 'spend'),
      { name: 'region', type: 'categorical', values: base.ids },
    ]);
    const same = compareDrift(
      ref,
      newer,
      Array.from({ length: 1000 }, (_, i) => (i % 100) / 100),
    );
    expect(same.score?.psi).toBe(0);
    expect(same.absentColumns).toEqual(['spend']);
    expect(same.extraColumns).toEqual(['region']);
    const higher = compareDrift(
      ref,
      newer,
      Array.from({ length: 1000 }, (_, i) => 0.5 + (i % 50) / 100),
    );
    expect(higher.score?.flagged).toBe(true);
    expect(higher.flagged).toContain('score');
    expect(compareDrift(ref, newer).score).toBeNull();
  });
});
