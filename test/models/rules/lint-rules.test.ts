import { describe, expect, it } from 'vitest';
import { numberValues } from '../../../features/frame.ts';
import type { Frame } from '../../../features/frame.ts';
import { lintRules } from '../../../models/rules/lint-rules.ts';
import { RulesFile } from '../../../models/rules/rules-file.ts';

const frame: Frame = {
  source: 'leads.csv',
  rowCount: 3,
  ids: ['1', '2', '3'],
  rowNumbers: [1, 2, 3],
  columns: [
    { name: 'job', type: 'categorical', values: ['Manager', 'student', null] },
    { name: 'age', type: 'numeric', values: numberValues([30, 41, null]) },
    { name: 'signup', type: 'timestamp', values: numberValues([0, 1, 2]) },
  ],
};

function lint(rules: unknown[], eventTypes?: Set<string>) {
  return lintRules(RulesFile.parse({ name: 't', rules, tiers: [{ name: 'all' }] }), frame, eventTypes);
}

describe('lintRules', () => {
  it('is quiet for rules that match the data', () => {
    expect(
      lint([
        { id: 'a', column: 'job', oneOf: ['manager', 'Student'], points: 1 },
        { id: 'b', column: 'age', range: { atLeast: 30 }, points: 1 },
        { id: 'markets', column: 'job', notOneOf: ['manager', 'ceo'], points: 1 },
        { id: 'c', column: 'signup', daysAgo: { atLeast: 1 }, points: 1 },
        { id: 'd', event: 'webinar', points: 1 },
      ]),
    ).toEqual([]);
  });

  it('names rules whose column, values, type or event type do not fit the data', () => {
    expect(
      lint(
        [
          { id: 'typo', column: 'job', oneOf: ['manager', 'Stduent', 'ceo'], points: 1 },
          { id: 'none-occur', column: 'job', notOneOf: ['ceo', 'cto'], points: 1 },
          { id: 'no-column', column: 'title', equals: 'x', points: 1 },
          { id: 'always', column: 'title', missing: true, points: 1 },
          { id: 'text-range', column: 'job', range: { atLeast: 1 }, points: 1 },
          { id: 'not-time', column: 'age', daysAgo: { atLeast: 1 }, points: 1 },
          {
            id: 'combo',
            all: [
              { column: 'age', present: true },
              { column: 'job', equals: 'cto' },
            ],
            points: 1,
          },
          { id: 'events', event: ['webinar', 'demo'], points: 1 },
        ],
        new Set(['webinar']),
      ),
    ).toEqual([
      'rule "typo": oneOf: "Stduent", "ceo" never occur in column "job"',
      'rule "none-occur": notOneOf: "ceo", "cto" never occur in column "job"',
      'rule "no-column": column: "title" is not a column of leads.csv (so it never fires)',
      'rule "always": column: "title" is not a column of leads.csv (so it fires for every lead)',
      'rule "text-range": range: column "job" is categorical, not numeric (so it never fires)',
      'rule "not-time": daysAgo: column "age" is numeric, not a timestamp (so it never fires)',
      'rule "combo": all.1.equals: "cto" never occurs in column "job"',
      'rule "events": event: no "demo" events in the events file',
    ]);
  });
});
