import type { CellValue } from '../../features/frame.ts';
import type { AttributeCondition, RuleRange, RuleValue } from './rules-file.ts';
import { compilePattern, MAX_MATCHED_TEXT } from './safe-pattern.ts';

/** Whether one attribute value satisfies a rule's condition at scoring time `asOf`. */
export type AttributeTest = (value: CellValue, asOf: number) => boolean;

const DAY_MS = 86_400_000;

/** Distinct text values remembered per rule; beyond this, text is tested afresh each time. */
const TEXT_CACHE_LIMIT = 4_096;

const TRUE_WORDS = new Set(['true', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'f']);

/**
 * The comparable form of a value: trimmed lower-case text, so "Yes", " yes" and "YES"
 * agree, and 1 and "1". Yes/no words and booleans agree too (a Yes/No column may load as
 * boolean or as text).
 */
export function valueKey(v: RuleValue): string {
  const text = String(v).trim().toLowerCase();
  return TRUE_WORDS.has(text) ? 'true' : FALSE_WORDS.has(text) ? 'false' : text;
}

/** Compiles one attribute condition into a test, once. */
export function compileAttributeTest(rule: AttributeCondition): AttributeTest {
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
    const re = compilePattern(rule.pattern);
    return cachedText((text) => re.test(text.length > MAX_MATCHED_TEXT ? text.slice(0, MAX_MATCHED_TEXT) : text));
  }
  if (rule.equals !== undefined) {
    const key = valueKey(rule.equals);
    return cachedText((text) => valueKey(text) === key);
  }
  if (rule.oneOf) {
    const keys = new Set(rule.oneOf.map(valueKey));
    return cachedText((text) => keys.has(valueKey(text)));
  }
  if (rule.notOneOf) {
    const keys = new Set(rule.notOneOf.map(valueKey));
    return cachedText((text) => !keys.has(valueKey(text)));
  }
  throw new Error(`condition on column "${rule.column}" has no test`);
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
