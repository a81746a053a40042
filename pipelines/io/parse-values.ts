import type { ColumnType } from '../../features/frame.ts';
import { looksIsoTimestamp } from '../../features/iso-timestamp.ts';

export { parseIsoTimestamp } from '../../features/iso-timestamp.ts';

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const trueWords = new Set(['yes', 'true', 'y', 't']);
const falseWords = new Set(['no', 'false', 'n', 'f']);

/** A number, or undefined when the text is not one. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return numberPattern.test(t) ? Number(t) : undefined;
}

/** yes/no, true/false, y/n, t/f (any case); 0/1 too when `allowDigits`. */
export function parseBoolean(text: string, allowDigits = true): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (trueWords.has(t) || (allowDigits && t === '1')) return true;
  if (falseWords.has(t) || (allowDigits && t === '0')) return false;
  return undefined;
}

const tokens: Record<string, { re: string; group: string }> = {
  YYYY: { re: '(\\d{4})', group: 'year' },
  YY: { re: '(\\d{2})', group: 'year2' },
  MM: { re: '(\\d{1,2})', group: 'month' },
  DD: { re: '(\\d{1,2})', group: 'day' },
  HH: { re: '(\\d{1,2})', group: 'hour' },
  mm: { re: '(\\d{2})', group: 'minute' },
  ss: { re: '(\\d{2})', group: 'second' },
};
const strptime: Record<string, string> = {
  '%Y': 'YYYY',
  '%y': 'YY',
  '%m': 'MM',
  '%d': 'DD',
  '%H': 'HH',
  '%M': 'mm',
  '%S': 'ss',
};

/** `format` (`DD-MM-YYYY HH:mm` or strptime style) as a strptime format, for DuckDB's strptime. */
export function strptimeFormat(format: string): string {
  const names: Record<string, string> = Object.fromEntries(Object.entries(strptime).map(([k, v]) => [v, k]));
  let out = '';
  for (let i = 0; i < format.length;) {
    if (format[i] === '%' && i + 1 < format.length) {
      out += format.slice(i, i + 2);
      i += 2;
      continue;
    }
    const tok = ['YYYY', 'YY', 'MM', 'DD', 'HH', 'mm', 'ss'].find((t) => format.startsWith(t, i));
    out += tok ? names[tok]! : format[i] === '%' ? '%%' : format[i]!;
    i += tok ? tok.length : 1;
  }
  return out;
}

/**
 * A parser for dates written in `format`: `DD-MM-YYYY`, `MM/DD/YYYY HH:mm`, or strptime
 * style `%d/%m/%Y %H:%M:%S`. Returns epoch ms (UTC), or undefined when the text does not
 * match or names an impossible date (31-02-2020).
 */
export function dateParser(format: string): (text: string) => number | undefined {
  const normalised = format.replace(/%[YymdHMS]/g, (m) => strptime[m]!);
  const groups: string[] = [];
  let re = '';
  for (let i = 0; i < normalised.length;) {
    const tok = ['YYYY', 'YY', 'MM', 'DD', 'HH', 'mm', 'ss'].find((t) => normalised.startsWith(t, i));
    if (tok) {
      re += tokens[tok]!.re;
      groups.push(tokens[tok]!.group);
      i += tok.length;
    } else {
      re += normalised[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  const pattern = new RegExp(`^${re}$`);
  return (text) => {
    const m = pattern.exec(text.trim());
    if (!m) return undefined;
    const part: Record<string, number> = {};
    groups.forEach((g, k) => (part[g] = Number(m[k + 1])));
    const year = part.year ?? (part.year2 !== undefined ? 2000 + part.year2 : 1970);
    const month = part.month ?? 1;
    const day = part.day ?? 1;
    const ms = Date.UTC(year, month - 1, day, part.hour ?? 0, part.minute ?? 0, part.second ?? 0);
    const d = new Date(ms);
    if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
    if ((part.hour ?? 0) > 23 || (part.minute ?? 0) > 59 || (part.second ?? 0) > 59) return undefined;
    return ms;
  };
}

/**
 * Share of an inferred numeric column's non-missing cells that may fail to parse (`NaN`,
 * `1,5`, `n/a`): they are read as missing and reported, instead of one stray cell turning a
 * column of numbers into categories.
 */
export const UNPARSEABLE_NUMERIC_SHARE = 0.01;

/**
 * The narrowest type the non-missing values fit: boolean, numeric (all but at most
 * UNPARSEABLE_NUMERIC_SHARE of them numbers), timestamp, else categorical.
 */
export function inferType(values: (string | null)[]): ColumnType {
  let bool = true;
  let time = true;
  let seen = 0;
  let notNumbers = 0;
  const tolerated = values.length * UNPARSEABLE_NUMERIC_SHARE;
  for (const v of values) {
    if (v === null) continue;
    seen++;
    if (bool && parseBoolean(v, false) === undefined) bool = false;
    if (notNumbers <= tolerated && parseNumber(v) === undefined) notNumbers++;
    if (time && !looksIsoTimestamp(v)) time = false;
    if (!bool && !time && notNumbers > tolerated) break;
  }
  if (seen === 0) return 'categorical';
  if (bool) return 'boolean';
  if (notNumbers <= seen * UNPARSEABLE_NUMERIC_SHARE) return 'numeric';
  if (time) return 'timestamp';
  return 'categorical';
}
