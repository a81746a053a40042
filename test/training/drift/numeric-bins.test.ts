import { describe, expect, it } from 'vitest';
import { binOf, countNumericBins, numericBinLabels, quantileEdges } from '../../../training/drift/numeric-bins.ts';

describe('quantileEdges', () => {
  it('cuts 1..10 into ten bins of one value each', () => {
    expect(quantileEdges([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(countNumericBins([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    ]);
  });

  it('merges tied cut points, and ignores missing values', () => {
    // Sorted: seven zeros, 1, 2, 3. Cut points 1..7 are all 0, then 1 and 2.
    const values = [0, 3, 0, null, 0, 0, 2, 0, 0, 1, 0, Number.NaN];
    expect(quantileEdges(values)).toEqual([0, 1, 2]);
    expect(countNumericBins(values, [0, 1, 2])).toEqual([7, 1, 1, 1, 2]);
  });

  it('gives no cut point for a constant column or an empty one', () => {
    expect(quantileEdges([4, 4, 4])).toEqual([]);
    expect(quantileEdges([null, null])).toEqual([]);
    expect(countNumericBins([4, null, 5], [])).toEqual([2, 1]);
  });
});

describe('binOf', () => {
  it('puts a value equal to an edge in the bin below it', () => {
    expect(binOf(-5, [0, 10])).toBe(0);
    expect(binOf(0, [0, 10])).toBe(0);
    expect(binOf(0.5, [0, 10])).toBe(1);
    expect(binOf(10, [0, 10])).toBe(1);
    expect(binOf(11, [0, 10])).toBe(2);
  });
});

describe('numericBinLabels', () => {
  it('names each bin and the missing one', () => {
    expect(numericBinLabels([0, 2.5])).toEqual(['<= 0', '(0, 2.5]', '> 2.5', 'missing']);
    expect(numericBinLabels([])).toEqual(['all values', 'missing']);
  });
});
