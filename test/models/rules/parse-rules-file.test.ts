import { describe, expect, it } from 'vitest';
import { InputError } from '../../../features/errors.ts';
import { parseRulesFile } from '../../../models/rules/parse-rules-file.ts';

const tiers = [{ name: 'hot', atLeast: 10 }, { name: 'cold' }];

function messageOf(value: unknown): string {
  try {
    parseRulesFile(value, 'r.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected the rules file to be refused');
}

function withRule(rule: Record<string, unknown>) {
  return { name: 't', rules: [{ id: 'ok', column: 'a', present: true, points: 1 }, rule], tiers };
}

describe('parseRulesFile', () => {
  it('accepts a good file and fills defaults', () => {
    const file = parseRulesFile(withRule({ id: 'views', event: 'page_view', points: 2 }), 'r.yaml');
    expect(file.rules[0]).toMatchObject({ id: 'ok', score: 'fit' });
  });

  it('names the rule and the field of a bad attribute rule', () => {
    expect(messageOf(withRule({ id: 'age-band', column: 'age', range: { atLeast: 'x' }, points: 5 }))).toMatch(
      /^r\.yaml: invalid rules file: rule "age-band" \(rules\[1\]\): range\.atLeast: .*expected number/,
    );
  });

  it('names the rule and the field of a bad event rule', () => {
    expect(messageOf(withRule({ id: 'pricing', event: 'page_view', points: 5, cap: -3 }))).toMatch(
      /rule "pricing" \(rules\[1\]\): cap: /,
    );
    expect(messageOf(withRule({ id: 'pricing', event: 'page_view', points: 'many' }))).toMatch(
      /rule "pricing" \(rules\[1\]\): points: /,
    );
  });

  it('names the rule and the condition of a bad all rule', () => {
    expect(
      messageOf(
        withRule({
          id: 'combo',
          all: [
            { column: 'a', present: true },
            { column: 'b', range: { atLeast: 'x' } },
          ],
          points: 5,
        }),
      ),
    ).toMatch(/rule "combo" \(rules\[1\]\): all\.1\.range\.atLeast: .*expected number/);
    expect(messageOf(withRule({ id: 'combo', all: [{ column: 'a', present: true }], points: 5 }))).toMatch(
      /rule "combo" \(rules\[1\]\): all: /,
    );
    expect(
      messageOf(withRule({ id: 'combo', all: [{ column: 'a', present: true }, { column: 'b' }], points: 5 })),
    ).toMatch(/rule "combo" \(rules\[1\]\): all\.1: needs one condition/);
  });

  it('names unknown keys', () => {
    expect(messageOf(withRule({ id: 'typo', column: 'a', equal: 'x', equals: 'y', points: 1 }))).toMatch(
      /rule "typo" \(rules\[1\]\): unknown key "equal"/,
    );
  });

  it('refuses a rule with no condition or two conditions', () => {
    expect(messageOf(withRule({ id: 'none', column: 'a', points: 1 }))).toMatch(
      /rule "none" \(rules\[1\]\): needs one condition/,
    );
    expect(messageOf(withRule({ id: 'two', column: 'a', equals: 'x', missing: true, points: 1 }))).toMatch(
      /rule "two" \(rules\[1\]\): missing: use one condition per rule, found equals and missing/,
    );
  });

  it('refuses dangerous, invalid or overlong patterns', () => {
    expect(messageOf(withRule({ id: 'ahead', column: 'a', pattern: 'a(?=b)', points: 1 }))).toMatch(
      /rule "ahead" \(rules\[1\]\): pattern: look-ahead and look-behind/,
    );
    expect(messageOf(withRule({ id: 'bad', column: 'a', pattern: '([a-z', points: 1 }))).toMatch(
      /rule "bad" \(rules\[1\]\): pattern: not a valid regular expression/,
    );
    expect(messageOf(withRule({ id: 'backref', column: 'a', pattern: '(a)\\1', points: 1 }))).toMatch(
      /back-references/,
    );
    expect(messageOf(withRule({ id: 'long', column: 'a', pattern: 'a'.repeat(201), points: 1 }))).toMatch(
      /rule "long" \(rules\[1\]\): pattern: /,
    );
  });

  it('refuses an empty range and a reversed one', () => {
    expect(messageOf(withRule({ id: 'r', column: 'a', range: {}, points: 1 }))).toMatch(
      /rule "r" \(rules\[1\]\): range: give atLeast, below or both/,
    );
    expect(messageOf(withRule({ id: 'r', column: 'a', range: { atLeast: 5, below: 1 }, points: 1 }))).toMatch(
      /range: atLeast must be smaller/,
    );
  });

  it('refuses duplicate ids and a rule without id', () => {
    expect(messageOf(withRule({ id: 'ok', column: 'b', present: true, points: 1 }))).toMatch(
      /rule "ok" \(rules\[1\]\): id: duplicate id/,
    );
    expect(messageOf(withRule({ column: 'b', present: true, points: 1 }))).toMatch(/rule rules\[1\]: id: /);
  });

  it('checks tiers: decreasing thresholds, last without threshold', () => {
    const base = { name: 't', rules: [{ id: 'ok', column: 'a', present: true, points: 1 }] };
    expect(
      messageOf({ ...base, tiers: [{ name: 'MQL', atLeast: 50 }, { name: 'SQL', atLeast: 80 }, { name: 'cold' }] }),
    ).toMatch(/tier "SQL" \(tiers\[1\]\): atLeast: thresholds must decrease/);
    expect(
      messageOf({
        ...base,
        tiers: [
          { name: 'hot', atLeast: 50 },
          { name: 'cold', atLeast: 0 },
        ],
      }),
    ).toMatch(/tier "cold" \(tiers\[1\]\): atLeast: the last tier/);
    expect(messageOf({ ...base, tiers: [] })).toMatch(/^r\.yaml: invalid rules file: tiers: /);
  });

  it('names bad caps and decay', () => {
    expect(
      messageOf({ ...withRule({ id: 'x', column: 'a', present: true, points: 1 }), total: { min: 10, max: 0 } }),
    ).toMatch(/total: min must not exceed max/);
    expect(
      messageOf({ ...withRule({ id: 'x', column: 'a', present: true, points: 1 }), decay: { halfLifeDays: -1 } }),
    ).toMatch(/decay\.halfLifeDays: /);
  });
});
