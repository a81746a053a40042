import { categoryKey } from '../../features/category-key.ts';
import type { CellValue } from '../../features/frame.ts';
import type { AttributeCondition, RuleRange, RuleValue } from './rules-file.ts';
import { compilePattern, MAX_MATCHED_TEXT } from './safe-pattern.ts';
import { InvariantError } from '../../features/errors.ts';

/** Whether one attribute value satisfies a rule's condition at scoring time `asOf`. */
export type AttributeTest = (value: CellValue, asOf: number) => boolean;

const DAY_MS = 86_400_000;

/** Distinct text values remembered per rule; beyond this, text is tested afresh each time. */
const TEXT_CACHE_LIMIT = 4_096;

const TRUE_WORDS = new Set(['true', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'f']);

/**
 * The comparable form of a value: its categoryKey (trimmed, case-folded: the model's own
 * normalisation), so "Yes", " yes" and "YES" agree, and 1 and "1". Yes/no words and
 * booleans agree too (a Yes/No column may load as boolean or as text). A case-sensitive
 * column keeps its case.
 */
export function valueKey(v: RuleValue, caseSensitive = false): string {
  const text = categoryKey(String(v), caseSensitive);
  const folded = caseSensitive ? text.toLowerCase() : text;
  return TRUE_WORDS.has(folded) ? 'true' : FALSE_WORDS.has(folded) ? 'false' : text;
}

/** Compiles one attribute condition into a test, once; `caseSensitive` for a column declared so. */
export function compileAttributeTest(rule: AttributeCondition, caseSensitive = false): AttributeTest {
  if (rule.missing) return (v) => v === null || v === undefined;
  if (rule.present) return (v) => v !== null && v !== undefined;
  if (rule.range) {
    const inRange = rangeTest(rule.range);
    return (v) => typeof v === 'number' && inRange(v);
  }
  if (rule.daysAgo) {
    const inRange = rangeTest(rule.daysAgo);
    // A time after the scoring time is not "days ago": it is not known yet.
    return (v, asOf) => typeof v === 'number' && v <= asOf && inRange((asOf - v) / DAY_MS);
  }
  if (rule.pattern !== undefined) {
    const re = compilePattern(rule.pattern, caseSensitive);
    return cachedText((text) => re.test(text.length > MAX_MATCHED_TEXT ? text.slice(0, MAX_MATCHED_TEXT) : text));
  }
  if (rule.equals !== undefined) {
    const key = valueKey(rule.equals, caseSensitive);
    return cachedText((text) => valueKey(text, caseSensitive) === key);
  }
  if (rule.oneOf) {
    const keys = new Set(rule.oneOf.map((v) => valueKey(v, caseSensitive)));
    return cachedText((text) => keys.has(valueKey(text, caseSensitive)));
  }
  if (rule.notOneOf) {
    const keys = new Set(rule.notOneOf.map((v) => valueKey(v, caseSensitive)));
    return cachedText((text) => !keys.has(valueKey(text, caseSensitive)));
  }
  throw new InvariantError(`condition on column "${rule.column}" has no test`);
}

function rangeTest(range: RuleRange): (x: number) => boolean {
  const lo = range.atLeast ?? -Infinity;
  const hi = range.below ?? Infinity;
  return (x) => x >= lo && x < hi;
}

/**
 * A test on the text form of present values. Categorical columns repeat a handful of
 * values, so each distinct string is lower-cased and tested once.
 */
function cachedText(test: (text: string) => boolean): AttributeTest {
  const cache = new Map<string, boolean>();
  return (v) => {
    if (v === null || v === undefined) return false;
    if (typeof v !== 'string') return test(String(v));
    let hit = cache.get(v);
    if (hit === undefined) {
      hit = test(v);
      if (cache.size < TEXT_CACHE_LIMIT) cache.set(v, hit);
    }
    return hit;
  };
}
