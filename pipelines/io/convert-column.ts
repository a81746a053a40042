import { InvariantError } from '../../features/errors.ts';
import { numberValues, type ColumnType, type FrameColumn } from '../../features/frame.ts';
import { isUsableNumber, MAX_NUMERIC_MAGNITUDE } from '../../features/numeric-range.ts';
import { dateParser, inferType, parseBoolean, parseIsoTimestamp, parseNumber } from './parse-values.ts';

export interface CellError {
  /** Index of the row in the raw table. */
  index: number;
  reason: string;
}

export interface ConvertedColumn {
  column: FrameColumn;
  /** Cells that do not fit the column's type: row errors. */
  errors: CellError[];
  /** Cells of an inferred numeric column that are not numbers, read as missing: to report. */
  readAsMissing: CellError[];
}

/**
 * Converts one text column to its declared type (or the inferred one). Values that do not
 * fit a declared type become errors naming the column and the value, never silent nulls;
 * the few that do not fit an inferred numeric column are read as missing and listed. A
 * number that is not finite or is beyond MAX_NUMERIC_MAGNITUDE is an error either way.
 */
export function convertColumn(
  name: string,
  text: (string | null)[],
  declared?: ColumnType,
  format?: string,
  /** Cells already read as numbers, NaN where `text` holds the cell (see RawTable.numbers). */
  numbers?: Float64Array,
): ConvertedColumn {
  const type = declared ?? inferType(text);
  if (numbers && !((type === 'numeric' || type === 'timestamp') && format === undefined))
    throw new InvariantError(`convertColumn: column "${name}" read as numbers but converted as ${type}`);
  const errors: CellError[] = [];
  const readAsMissing: CellError[] = [];
  const convert = <T>(parse: (s: string) => T | undefined, expected: string, unparsed = errors): (T | null)[] =>
    text.map((v, index) => {
      if (v === null) return null;
      const out = parse(v);
      if (out === undefined) {
        unparsed.push({ index, reason: `column "${name}": cannot parse "${v}" as ${expected}` });
        return null;
      }
      return out;
    });
  switch (type) {
    case 'numeric': {
      const values = convert(parseNumber, 'a number', declared ? errors : readAsMissing);
      values.forEach((x, index) => {
        if (x === null || isUsableNumber(x)) return;
        errors.push({
          index,
          reason: `column "${name}": "${text[index]!.trim()}" is out of range (numbers must be finite and at most ${MAX_NUMERIC_MAGNITUDE} in magnitude)`,
        });
        values[index] = null;
      });
      return { column: { name, type, values: withNumbers(numberValues(values), numbers) }, errors, readAsMissing };
    }
    case 'boolean':
      return {
        column: { name, type, values: convert((s) => parseBoolean(s), 'a boolean (yes/no, true/false, 0/1)') },
        errors,
        readAsMissing,
      };
    case 'timestamp': {
      const parse = format ? dateParser(format) : parseIsoTimestamp;
      return {
        column: {
          name,
          type,
          values: withNumbers(numberValues(convert(parse, format ? `a date ${format}` : 'an ISO 8601 date')), numbers),
        },
        errors,
        readAsMissing,
      };
    }
    default:
      return { column: { name, type, values: text.map((v) => (v === null ? null : v.trim())) }, errors, readAsMissing };
  }
}

/** `values` with the cells read as numbers (not NaN in `numbers`) filled in. */
function withNumbers(values: Float64Array, numbers: Float64Array | undefined): Float64Array {
  if (numbers)
    for (let r = 0; r < values.length; r++) {
      const x = numbers[r]!;
      if (x === x) values[r] = x;
    }
  return values;
}
