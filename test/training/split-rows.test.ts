import { describe, expect, it } from 'vitest';
import { numberValues } from '../../features/frame.ts';
import { InputError } from '../../features/errors.ts';
import type { Frame } from '../../features/frame.ts';
import { crossValidationFolds, splitFrame } from '../../training/split-rows.ts';
import { SplitConfig } from '../../training/training-config.ts';

function frame(label = true): Frame {
  const n = 10;
  return {
    source: 'leads.csv',
    rowCount: n,
    ids: Array.from({ length: n }, (_, i) => `L${i}`),
    label: label ? Uint8Array.from({ length: n }, (_, i) => (i % 2 ? 1 : 0)) : undefined,
    rowNumbers: Array.from({ length: n }, (_, i) => i + 1),
    columns: [
      // Newest first in the file.
      {
        name: 'created',
        type: 'timestamp',
        values: numberValues(Array.from({ length: n }, (_, i) => 1_000_000 - i * 1000)),
      },
      { name: 'source', type: 'categorical', values: new Array(n).fill('web') },
      { name: 'company', type: 'text', values: Array.from({ length: n }, (_, i) => `c${i % 5}`) },
    ],
  };
}

describe('splitFrame', () => {
  it('splits by a time column, newest rows to test', () => {
    const parts = splitFrame(
      frame(),
      SplitConfig.parse({ by: 'time', timeColumn: 'created', validationFraction: 0.2, testFraction: 0.2 }),
      1,
    );
    expect(Array.from(parts.test)).toEqual([0, 1]);
    expect(Array.from(parts.validation)).toEqual([2, 3]);
  });

  it('splits by file order when no time column is named', () => {
    const parts = splitFrame(frame(), SplitConfig.parse({ by: 'time', validationFraction: 0.2, testFraction: 0.2 }), 1);
    expect(Array.from(parts.test)).toEqual([8, 9]);
  });

  it('stratifies a random split by the label', () => {
    const parts = splitFrame(frame(), SplitConfig.parse({ validationFraction: 0.2, testFraction: 0.2 }), 1);
    expect(
      Array.from(parts.test)
        .map((i) => i % 2)
        .sort(),
    ).toEqual([0, 1]);
  });

  it('names the column when it is missing or not a time', () => {
    expect(() => splitFrame(frame(), SplitConfig.parse({ by: 'time', timeColumn: 'nope' }), 1)).toThrow(
      'leads.csv: training.split.timeColumn "nope" is not among the loaded columns',
    );
    expect(() => splitFrame(frame(), SplitConfig.parse({ by: 'time', timeColumn: 'source' }), 1)).toThrow(
      /"source" is categorical/,
    );
  });

  it('keeps each company in one part for a group split', () => {
    const parts = splitFrame(
      frame(),
      SplitConfig.parse({ by: 'group', groupColumn: 'company', validationFraction: 0.2, testFraction: 0.2 }),
      1,
    );
    // Rows i and i + 5 share a company.
    for (const i of parts.test) expect(parts.test.includes((i + 5) % 10)).toBe(true);
    expect(() => splitFrame(frame(), SplitConfig.parse({ by: 'group', groupColumn: 'created' }), 1)).toThrow(
      /"created" is timestamp/,
    );
  });

  it('refuses rows without a label', () => {
    expect(() => splitFrame(frame(false), SplitConfig.parse({}), 1)).toThrow(InputError);
    expect(() => crossValidationFolds(frame(false), SplitConfig.parse({}), 1)).toThrow(/carry no label/);
  });
});
