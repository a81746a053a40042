import { describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { checkMinimumData } from '../../training/min-data.ts';

const labels = (positives: number, negatives: number) => [
  ...new Array(positives).fill(1),
  ...new Array(negatives).fill(0),
];

describe('checkMinimumData', () => {
  it('refuses too few positives, saying how many there are', () => {
    const run = () => checkMinimumData(labels(42, 500), 'leads.csv');
    expect(run).toThrow(InputError);
    expect(run).toThrow(
      'leads.csv: not enough data to train: 42 positives (converted) and 500 negatives in 542 rows; need at least 100 positives (training.minPositives)',
    );
  });

  it('names both limits when both classes fall short', () => {
    expect(() => checkMinimumData(labels(3, 4), 'x.csv', { minPositives: 5, minNegatives: 5 })).toThrow(
      'need at least 5 positives (training.minPositives) and at least 5 negatives (training.minNegatives)',
    );
  });

  it('carries the counts as details', () => {
    try {
      checkMinimumData(labels(100, 99), 'x.csv');
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).details).toEqual({
        positives: 100,
        negatives: 99,
        minPositives: 100,
        minNegatives: 100,
      });
    }
  });

  it('passes at the limits and returns the counts', () => {
    expect(checkMinimumData(labels(100, 100), 'x.csv')).toEqual({ positives: 100, negatives: 100 });
  });
});
