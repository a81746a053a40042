import type { ColumnType, FrameColumn } from '../../features/frame.ts';
import { dateParser, inferType, parseBoolean, parseIsoTimestamp, parseNumber } from './parse-values.ts';

export interface CellError {
  /** Index of the row in the raw table. */
  index: number;
  reason: string;
}

/**
 * Converts one text column to its declared type (or the inferred one). Values that do not
 * fit the declared type become errors naming the column and the value, never silent nulls.
 */
export function convertColumn(
  name: string,
  text: (string | null)[],
  declared?: ColumnType,
  format?: string,
): { column: FrameColumn; errors: CellError[] } {
  const type = declared ?? inferType(text);
  const errors: CellError[] = [];
  const convert = <T>(parse: (s: string) => T | undefined, expected: string): (T | null)[] =>
    text.map((v, index) => {
      if (v === null) return null;
      const out = parse(v);
      if (out === undefined) {
        errors.push({ index, reason: `column "${name}": cannot parse "${v}" as ${expected}` });
        return null;
      }
      return out;
    });
  switch (type) {
    case 'numeric':
      return { column: { name, type, values: convert(parseNumber, 'a number') }, errors };
    case 'boolean':
      return { column: { name, type, values: convert((s) => parseBoolean(s), 'a boolean (yes/no, true/false, 0/1)') }, errors };
    case 'timestamp': {
      const parse = format ? dateParser(format) : parseIsoTimestamp;
      return { column: { name, type, values: convert(parse, format ? `a date ${format}` : 'an ISO 8601 date') }, errors };
    }
    default:
      return { column: { name, type, values: text.map((v) => (v === null ? null : v.trim())) }, errors };
  }
}
