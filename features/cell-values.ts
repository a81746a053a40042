import { InputError } from './errors.ts';
import type { CellValue } from './frame.ts';
import type { ColumnEncoder } from './feature-spec.ts';
import { parseIsoTimestamp } from './iso-timestamp.ts';
import { isUsableNumber, MAX_NUMERIC_MAGNITUDE } from './numeric-range.ts';

/**
 * Online attribute values arrive loosely typed (JSON). These turn one into the value the
 * leads loader would have put in a Frame cell for the encoder's column, so the online and
 * batch paths meet at the same typed value. A value of the wrong kind is an InputError
 * naming the attribute.
 */

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const trueWords = new Set(['yes', 'true', 'y', 't', '1']);
const falseWords = new Set(['no', 'false', 'n', 'f', '0']);

/** The typed cell for `raw` under encoder `e`; null when missing (absent, empty, or a missing token). */
export function typedCell(e: ColumnEncoder, raw: CellValue | undefined, missing: ReadonlySet<string>): CellValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') {
    const t = raw.trim();
    if (t === '' || missing.has(t)) return null;
  }
  switch (e.kind) {
    case 'numeric': {
      // Computed values (event aggregates) may be NaN for "none"; JSON cannot carry one.
      if (typeof raw === 'number' && !Number.isFinite(raw)) return null;
      const x =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && numberPattern.test(raw.trim())
            ? Number(raw.trim())
            : undefined;
      if (x !== undefined) {
        if (isUsableNumber(x)) return x;
        throw badCell(e, raw, `a finite number at most ${MAX_NUMERIC_MAGNITUDE} in magnitude`);
      }
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      throw badCell(e, raw, 'a number');
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const t = String(raw).trim().toLowerCase();
      if (trueWords.has(t)) return true;
      if (falseWords.has(t)) return false;
      throw badCell(e, raw, 'a boolean (yes/no, true/false, 0/1)');
    }
    case 'timestamp': {
      if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
      const ms = typeof raw === 'string' ? parseIsoTimestamp(raw) : undefined;
      if (ms !== undefined) return ms;
      throw badCell(e, raw, 'epoch milliseconds or an ISO 8601 date');
    }
    default:
      return typeof raw === 'string' ? raw.trim() : String(raw);
  }
}

// A module-level function, not a closure made on every call: typedCell runs per cell online.
function badCell(e: ColumnEncoder, raw: CellValue, expected: string): InputError {
  // The value goes back to whoever sent it, never into logs (see `logMessage`).
  return new InputError(`attribute "${e.source}": expected ${expected}, got ${JSON.stringify(raw)}`, {
    logMessage: `attribute "${e.source}": expected ${expected}`,
  });
}
