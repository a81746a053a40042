import { describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { groupSplit, rollingOriginFolds, stratifiedKFold, stratifiedSplit, timeSplit } from '../../training/splits.ts';

/** 1000 rows, every tenth converted (100 positives). */
const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
const positivesIn = (rows: Uint32Array) => Array.from(rows).filter((i) => labels[i] === 1).length;
const isAscending = (rows: Uint32Array) => rows.every((v, k) => k === 0 || v > rows[k - 1]!);

describe('stratifiedSplit', () => {
  const parts = stratifiedSplit(labels, { validation: 0.15, test: 0.2 }, 42);

  it('keeps the conversion rate in every part', () => {
    expect([parts.test.length, positivesIn(parts.test)]).toEqual([200, 20]);
    expect([parts.validation.length, positivesIn(parts.validation)]).toEqual([150, 15]);
    expect([parts.train.length, positivesIn(parts.train)]).toEqual([650, 65]);
  });

  it('covers every row exactly once, each part in ascending order', () => {
    const all = [...parts.train, ...parts.validation, ...parts.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(isAscending(parts.train) && isAscending(parts.validation) && isAscending(parts.test)).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(stratifiedSplit(labels, { validation: 0.15, test: 0.2 }, 42)).toEqual(parts);
    expect(Array.from(stratifiedSplit(labels, { validation: 0.15, test: 0.2 }, 43).test)).not.toEqual(
      Array.from(parts.test),
    );
  });

  it('allows an empty test part and rejects fractions leaving no training rows', () => {
    expect(stratifiedSplit(labels, { validation: 0.2, test: 0 }, 1).test).toHaveLength(0);
    expect(() => stratifiedSplit(labels, { validation: 0.5, test: 0.5 }, 1)).toThrow(RangeError);
  });
});

describe('timeSplit', () => {
  it('trains on the oldest rows and tests on the newest', () => {
    // Row i has time 10 - i: row 9 is the oldest.
    const times = Array.from({ length: 10 }, (_, i) => 10 - i);
    const parts = timeSplit(times, { validation: 0.2, test: 0.3 });
    expect(Array.from(parts.test)).toEqual([0, 1, 2]);
    expect(Array.from(parts.validation)).toEqual([3, 4]);
    expect(Array.from(parts.train)).toEqual([5, 6, 7, 8, 9]);
  });

  it('orders equal times by row', () => {
    const parts = timeSplit([1, 1, 1, 1], { validation: 0, test: 0.5 });
    expect(Array.from(parts.test)).toEqual([2, 3]);
  });

  it('refuses missing times with an InputError naming them', () => {
    const run = () =>
      timeSplit([1, null, 3, Number.NaN], { validation: 0.2, test: 0.2 }, { name: 'leads.csv: column "created"' });
    expect(run).toThrow(InputError);
    expect(run).toThrow('leads.csv: column "created": 2 of 4 rows have no time value (first at row index 1)');
  });
});

describe('stratifiedKFold', () => {
  const labels103 = Uint8Array.from({ length: 103 }, (_, i) => (i < 23 ? 1 : 0));
  const folds = stratifiedKFold(labels103, 5, 7);

  it('tests every row exactly once and trains on the rest', () => {
    const tested = folds.flatMap((f) => Array.from(f.test)).sort((a, b) => a - b);
    expect(tested).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const f of folds) {
      expect(f.train.length + f.test.length).toBe(103);
      expect(Array.from(f.train).some((i) => f.test.includes(i))).toBe(false);
    }
  });

  it('balances fold sizes and conversions', () => {
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const positives = folds.map((f) => Array.from(f.test).filter((i) => labels103[i] === 1).length);
    expect(positives.every((p) => p === 4 || p === 5)).toBe(true);
  });

  it('is deterministic for a seed', () => {
    expect(stratifiedKFold(labels103, 5, 7)).toEqual(folds);
  });

  it('refuses when a class has fewer rows than folds', () => {
    expect(() => stratifiedKFold([1, 1, 0, 0, 0, 0], 3, 1)).toThrow(
      'cannot make 3 stratified folds from 2 positives and 4 negatives',
    );
  });
});

describe('rollingOriginFolds', () => {
  // Row i has time 10 - i, so time order is rows 9, 8, ..., 0.
  const times = Array.from({ length: 10 }, (_, i) => 10 - i);

  it('grows the training window and walks the test window forward in time', () => {
    const folds = rollingOriginFolds(times, { folds: 2, initialTrainFraction: 0.5 });
    expect(folds.map((f) => [Array.from(f.train), Array.from(f.test)])).toEqual([
      [
        [5, 6, 7, 8, 9],
        [3, 4],
      ],
      [
        [3, 4, 5, 6, 7, 8, 9],
        [0, 1, 2],
      ],
    ]);
  });

  it('keeps the training window at its initial size when sliding', () => {
    const folds = rollingOriginFolds(times, { folds: 2, initialTrainFraction: 0.5, window: 'sliding' });
    expect(Array.from(folds[1]!.train)).toEqual([3, 4, 5, 6, 7]);
  });

  it('refuses too few rows for the folds', () => {
    expect(() => rollingOriginFolds([1, 2, 3], { folds: 5 })).toThrow(InputError);
  });
});

describe('groupSplit', () => {
  // 100 rows in 20 accounts of 5 rows; four rows have no account.
  const groups = Array.from({ length: 100 }, (_, i) => (i >= 96 ? null : `acct-${i % 20}`));
  const parts = groupSplit(groups, { validation: 0.2, test: 0.2 }, 3);
  const partOf = (i: number) =>
    parts.test.includes(i) ? 'test' : parts.validation.includes(i) ? 'validation' : 'train';

  it('keeps every account in one part', () => {
    for (let a = 0; a < 20; a++) {
      const seen = new Set(groups.flatMap((g, i) => (g === `acct-${a}` ? [partOf(i)] : [])));
      expect(seen.size).toBe(1);
    }
  });

  it('fills each held-out part to its share, overshooting by less than one account', () => {
    expect(parts.test.length).toBeGreaterThanOrEqual(20);
    expect(parts.test.length).toBeLessThan(25);
    expect(parts.validation.length).toBeGreaterThanOrEqual(20);
    expect(parts.validation.length).toBeLessThan(25);
    expect(parts.train.length + parts.validation.length + parts.test.length).toBe(100);
  });

  it('is deterministic for a seed', () => {
    expect(groupSplit(groups, { validation: 0.2, test: 0.2 }, 3)).toEqual(parts);
  });
});
