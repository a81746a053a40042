import { describe, expect, it } from 'vitest';
import { categoryKey } from '../../features/category-key.ts';
import { encodeFrame, encodeLead } from '../../features/encode-features.ts';
import { fitFeatureSpec } from '../../features/fit-feature-spec.ts';
import type { Frame } from '../../features/frame.ts';
import { compileRules } from '../../models/rules/compile-rules.ts';
import { RulesFile } from '../../models/rules/rules-file.ts';

/** A frame of one categorical column, with the given values. */
function frameOf(values: (string | null)[], name = 'contact'): Frame {
  return {
    source: 'leads.csv',
    rowCount: values.length,
    ids: values.map((_, i) => `L${i}`),
    rowNumbers: values.map((_, i) => i + 1),
    columns: [{ name, type: 'categorical', values }],
  };
}

describe('one category normalisation for the model and the rules', () => {
  it('categoryKey trims and case-folds, or only trims for a case-sensitive column', () => {
    expect(categoryKey('  Retired ')).toBe('retired');
    expect(categoryKey('CELLULAR')).toBe('cellular');
    expect(categoryKey(' A1 ', true)).toBe('A1');
  });

  it('fits one vocabulary entry per category whatever its spellings, named by the most frequent one', () => {
    const values = [
      ...Array<string>(6).fill('Retired'),
      'retired',
      'RETIRED ',
      ...Array<string>(5).fill('student'),
      'x',
    ];
    const spec = fitFeatureSpec(frameOf(values, 'job'), {}, { minFrequency: 2 });
    expect(spec.encoders[0]).toMatchObject({ kind: 'categorical', vocabulary: ['Retired', 'student'] });
  });

  it('encodes CELLULAR, " cellular" and cellular alike, online and batch, as the fitted value', () => {
    const spec = fitFeatureSpec(frameOf(['cellular', 'telephone', 'cellular', 'telephone']), {}, { minFrequency: 1 });
    const expected = encodeLead(spec, { contact: 'cellular' }, [], 0);
    for (const v of ['CELLULAR', ' Cellular ', 'cellular'])
      expect(encodeLead(spec, { contact: v }, [], 0)).toEqual(expected);
    const batch = encodeFrame(spec, frameOf(['CELLULAR', 'Cellular', 'TELEPHONE']));
    expect(Array.from(batch.data.subarray(0, batch.cols))).toEqual(Array.from(expected));
    expect(Array.from(batch.data.subarray(batch.cols, 2 * batch.cols))).toEqual(Array.from(expected));
    expect(Array.from(batch.data.subarray(2 * batch.cols))).toEqual(
      Array.from(encodeLead(spec, { contact: 'telephone' }, [], 0)),
    );
    // An unseen value still goes to the other bucket.
    expect(encodeLead(spec, { contact: 'fax' }, [], 0)).not.toEqual(expected);
  });

  it('a column declared caseSensitive keeps a and A apart, in the model and in its rules', () => {
    const spec = fitFeatureSpec(
      frameOf(['A', 'a', 'A', 'a'], 'grade'),
      { grade: { type: 'categorical', caseSensitive: true } },
      { minFrequency: 1 },
    );
    expect(spec.encoders[0]).toMatchObject({ vocabulary: ['A', 'a'], caseSensitive: true });
    expect(encodeLead(spec, { grade: 'A' }, [], 0)).not.toEqual(encodeLead(spec, { grade: 'a' }, [], 0));
    expect(encodeLead(spec, { grade: ' A ' }, [], 0)).toEqual(encodeLead(spec, { grade: 'A' }, [], 0));
    const rules = RulesFile.parse({
      name: 'r',
      rules: [{ id: 'top', column: 'grade', equals: 'A', points: 10 }],
      tiers: [{ name: 'hot', atLeast: 10 }, { name: 'cold' }],
    });
    const folded = compileRules(rules);
    const exact = compileRules(rules, { caseSensitiveColumns: new Set(['grade']) });
    expect(folded.score({ grade: 'a' }, [], 0).total).toBe(10);
    expect(exact.score({ grade: 'a' }, [], 0).total).toBe(0);
    expect(exact.score({ grade: ' A' }, [], 0).total).toBe(10);
  });

  it('rules match what the model matches: CELLULAR and "Retired " for cellular and retired', () => {
    const rules = compileRules(
      RulesFile.parse({
        name: 'r',
        rules: [
          { id: 'cell', column: 'contact', equals: 'cellular', points: 10 },
          { id: 'retired', column: 'job', oneOf: ['retired'], points: 5 },
        ],
        tiers: [{ name: 'hot', atLeast: 15 }, { name: 'cold' }],
      }),
    );
    expect(rules.score({ contact: 'CELLULAR', job: 'Retired ' }, [], 0).total).toBe(15);
  });
});
