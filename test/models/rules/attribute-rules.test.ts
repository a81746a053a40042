import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../models/rules/compile-rules.ts';
import { RulesFile } from '../../../models/rules/rules-file.ts';

const DAY = 86_400_000;
const ASOF = Date.UTC(2026, 0, 31);

/** An engine with one attribute rule worth 10 points and tiers hot ≥ 10, else cold. */
function oneRule(rule: Record<string, unknown>) {
  return compileRules(
    RulesFile.parse({
      name: 't',
      rules: [{ id: 'r', points: 10, ...rule }],
      tiers: [{ name: 'hot', atLeast: 10 }, { name: 'cold' }],
    }),
  );
}

function fires(rule: Record<string, unknown>, value: string | number | boolean | null, column = 'c'): boolean {
  return oneRule({ column, ...rule }).score({ c: value }, [], ASOF).total === 10;
}

describe('attribute rules', () => {
  it('equals compares text case-insensitively and ignores surrounding spaces', () => {
    expect(fires({ equals: 'Student' }, 'student')).toBe(true);
    expect(fires({ equals: 'Student' }, ' STUDENT ')).toBe(true);
    expect(fires({ equals: 'Student' }, 'Students')).toBe(false);
    expect(fires({ equals: 'Student' }, null)).toBe(false);
  });

  it('equals matches numbers and booleans by value', () => {
    expect(fires({ equals: 3 }, 3)).toBe(true);
    expect(fires({ equals: 3 }, 4)).toBe(false);
    expect(fires({ equals: true }, true)).toBe(true);
    expect(fires({ equals: true }, false)).toBe(false);
  });

  it('yes/no words and booleans agree, whichever way the column loaded', () => {
    expect(fires({ equals: 'Yes' }, true)).toBe(true);
    expect(fires({ equals: true }, 'yes')).toBe(true);
    expect(fires({ equals: 'No' }, true)).toBe(false);
    expect(fires({ oneOf: ['no'] }, false)).toBe(true);
  });

  it('patterns that backtrack for minutes in RegExp are accepted and answer at once (linear-time RE2)', () => {
    // Each of these blocked the event loop for seconds to minutes on a 27-character value;
    // were they still matched by backtracking, this test would not finish.
    // (a|a)*$ matches the empty text at the end of any value; the others need a "!" or an "a" last.
    const matchesAny: Record<string, boolean> = {
      '(a|a)*$': true,
      '(\\w|\\d)*!': false,
      '\\w*\\w*\\w*\\w*\\w*\\w*\\w*!': false,
      '(a|aa)+$': false,
      '(a+)+$': false,
    };
    for (const [pattern, any] of Object.entries(matchesAny)) {
      for (const n of [27, 2000])
        expect(fires({ pattern }, `${'a'.repeat(n - 1)}b`), `${pattern} on ${n} characters`).toBe(any);
      expect(fires({ pattern }, pattern.includes('!') ? 'aaaa!' : 'aaaa')).toBe(true);
    }
  });

  it('patterns search case-insensitively with RegExp-like syntax', () => {
    expect(fires({ pattern: '\\b(vp|director)\\b' }, 'Senior VP Sales')).toBe(true);
    expect(fires({ pattern: '\\b(vp|director)\\b' }, 'VPN admin')).toBe(false);
    expect(fires({ pattern: '@(gmail|yahoo)\\.com$' }, 'A@GMAIL.COM')).toBe(true);
    expect(fires({ pattern: '^\\d{3,}$' }, 12345)).toBe(true);
  });

  it('oneOf and notOneOf; missing values match neither', () => {
    expect(fires({ oneOf: ['admin.', 'management'] }, 'Management')).toBe(true);
    expect(fires({ oneOf: ['admin.', 'management'] }, 'student')).toBe(false);
    expect(fires({ notOneOf: ['Portugal', 'Spain'] }, 'France')).toBe(true);
    expect(fires({ notOneOf: ['Portugal', 'Spain'] }, 'spain')).toBe(false);
    expect(fires({ notOneOf: ['Portugal'] }, null)).toBe(false);
  });

  it('range includes atLeast and excludes below; text never matches', () => {
    const rule = { range: { atLeast: 25, below: 35 } };
    expect(fires(rule, 25)).toBe(true);
    expect(fires(rule, 34.9)).toBe(true);
    expect(fires(rule, 35)).toBe(false);
    expect(fires(rule, 24)).toBe(false);
    expect(fires(rule, '30')).toBe(false);
    expect(fires({ range: { below: 0 } }, -1)).toBe(true);
    expect(fires({ range: { atLeast: 100 } }, 1e9)).toBe(true);
  });

  it('pattern searches case-insensitively in text', () => {
    const rule = { pattern: '\\b(vp|director|head of)\\b' };
    expect(fires(rule, 'VP Marketing')).toBe(true);
    expect(fires(rule, 'Head of Growth')).toBe(true);
    expect(fires(rule, 'Marketing intern')).toBe(false);
    expect(fires({ pattern: '@(gmail|yahoo)\\.' }, 'ann@GMAIL.com')).toBe(true);
    expect(fires(rule, null)).toBe(false);
  });

  it('missing and present', () => {
    expect(fires({ missing: true }, null)).toBe(true);
    expect(fires({ missing: true }, '')).toBe(false);
    expect(fires({ present: true }, 0)).toBe(true);
    expect(fires({ present: true }, null)).toBe(false);
    // A column the lead does not have at all is missing.
    expect(oneRule({ column: 'absent', missing: true }).score({ c: 1 }, [], ASOF).total).toBe(10);
  });

  it('daysAgo measures a timestamp against the scoring time', () => {
    const rule = { daysAgo: { atLeast: 90 } };
    expect(fires(rule, ASOF - 90 * DAY)).toBe(true);
    expect(fires(rule, ASOF - 89 * DAY)).toBe(false);
    expect(fires({ daysAgo: { below: 7 } }, ASOF - 2 * DAY)).toBe(true);
    expect(fires({ daysAgo: { below: 7 } }, ASOF + 2 * DAY)).toBe(false);
  });

  it('negative points subtract and engagement attribute rules count as engagement', () => {
    const engine = compileRules(
      RulesFile.parse({
        name: 't',
        rules: [
          { id: 'student', column: 'job', equals: 'student', points: -15 },
          { id: 'manager', column: 'job', equals: 'manager', points: 20 },
          { id: 'visits', column: 'visits', range: { atLeast: 5 }, points: 8, score: 'engagement' },
        ],
        tiers: [{ name: 'hot', atLeast: 20 }, { name: 'cold' }],
      }),
    );
    const s = engine.score({ job: 'Student', visits: 7 }, [], ASOF);
    expect(s).toEqual({
      fit: -15,
      engagement: 8,
      total: -7,
      tier: 'cold',
      fired: [
        { rule: 'student', points: -15, kind: 'fit' },
        { rule: 'visits', points: 8, kind: 'engagement' },
      ],
    });
    expect(engine.score({ job: 'manager', visits: 1 }, [], ASOF).tier).toBe('hot');
  });

  it('all: fires only when every condition holds', () => {
    const engine = compileRules(
      RulesFile.parse({
        name: 't',
        rules: [
          {
            id: 'senior-at-big',
            all: [
              { column: 'title', pattern: '\\bvp\\b' },
              { column: 'size', range: { atLeast: 1000 } },
            ],
            points: 12,
          },
        ],
        tiers: [{ name: 'all' }],
      }),
    );
    expect(engine.columns).toEqual(['title', 'size']);
    expect(engine.score({ title: 'VP Sales', size: 5000 }, [], ASOF).fired).toEqual([
      { rule: 'senior-at-big', points: 12, kind: 'fit' },
    ]);
    expect(engine.score({ title: 'VP Sales', size: 50 }, [], ASOF).total).toBe(0);
    expect(engine.score({ title: 'Analyst', size: 5000 }, [], ASOF).total).toBe(0);
    expect(engine.score({ title: 'VP Sales' }, [], ASOF).total).toBe(0);
  });
});
