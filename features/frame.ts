import { z } from 'zod';

/** The kinds of column a feature can be built from. */
export const ColumnType = z.enum(['numeric', 'categorical', 'boolean', 'timestamp', 'text']);
export type ColumnType = z.infer<typeof ColumnType>;

/** One cell. Timestamps are epoch milliseconds (UTC); missing is `null`. */
export type CellValue = string | number | boolean | null;

/**
 * A typed column of a loaded table. Numbers and timestamps (epoch ms) are held as
 * Float64Array, 8 bytes a cell, with NaN for missing (loaded numbers are always finite, so
 * NaN means nothing else); the other types as arrays with null for missing. `cellAt` reads
 * any of them as a CellValue.
 */
export type FrameColumn = NumberColumn | BooleanColumn | TextColumn;
export type NumberColumn = { name: string; type: 'numeric' | 'timestamp'; values: Float64Array };
export type BooleanColumn = { name: string; type: 'boolean'; values: (boolean | null)[] };
export type TextColumn = { name: string; type: 'categorical' | 'text'; values: (string | null)[] };

/** Cell `i` of a column, null when missing (NaN in a number column). */
export function cellAt(column: FrameColumn, i: number): CellValue {
  const v = column.values[i];
  return v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
}

/** The cells of a column, null where missing: for code that walks every cell of any type. */
export function columnCells(column: FrameColumn): CellValue[] {
  return Array.from({ length: column.values.length }, (_, i) => cellAt(column, i));
}

/** Numbers or timestamps with null for missing as a number column's values (NaN for null). */
export function numberValues(values: ArrayLike<number | null | undefined>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = values[i] ?? NaN;
  return out;
}

/** The numbers of a number column that are not missing (NaN), ascending. */
export function sortedNumbers(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/**
 * The numbers at `indices` (NaN past the end). A loop: typed-array `from` with a mapping
 * function costs several times as much, and training takes rows of every column.
 */
export function takeNumbers(values: Float64Array, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < out.length; k++) out[k] = values[indices[k]!] ?? NaN;
  return out;
}

/**
 * A loaded leads table, columnar. Rows keep file order; `rowNumbers[i]` is the 1-based
 * data row in the source file (header excluded) so errors can point back at it.
 */
export interface Frame {
  /** Where the rows came from (a path), for messages. */
  source: string;
  rowCount: number;
  /** Lead ids: the id column, or the row number as a string when the data set has none. */
  ids: string[];
  /** 1 = converted, 0 = not; absent when the data carries no label (scoring input). */
  label?: Uint8Array;
  rowNumbers: number[];
  /** Feature-candidate columns (id, label and excluded columns are not here). */
  columns: FrameColumn[];
}

/** A single lead's attributes by column name, the online counterpart of one frame row. */
export const LeadAttributes = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type LeadAttributes = z.infer<typeof LeadAttributes>;

/** Row `i` of a frame as an attribute record (what the serving worker receives). */
export function frameRow(frame: Frame, i: number): LeadAttributes {
  const out: LeadAttributes = {};
  for (const c of frame.columns) out[c.name] = cellAt(c, i);
  return out;
}

/** The column called `name`, or undefined. */
export function frameColumn(frame: Frame, name: string): FrameColumn | undefined {
  return frame.columns.find((c) => c.name === name);
}

/** One column of the same name and type from `parts` (chunks of a file), in order. */
export function concatColumns(parts: readonly FrameColumn[]): FrameColumn {
  const first = parts[0]!;
  if (first.values instanceof Float64Array) {
    const out = new Float64Array(parts.reduce((n, c) => n + c.values.length, 0));
    let at = 0;
    for (const c of parts) {
      out.set(c.values as Float64Array, at);
      at += c.values.length;
    }
    return { ...first, values: out } as FrameColumn;
  }
  return { ...first, values: parts.flatMap((c) => c.values as CellValue[]) } as FrameColumn;
}

/** A frame holding only the rows at `indices`, in that order. */
export function takeRows(frame: Frame, indices: ArrayLike<number>): Frame {
  const idx = Array.from(indices);
  const pick = <T>(values: T[]): T[] => idx.map((i) => values[i] as T);
  return {
    source: frame.source,
    rowCount: idx.length,
    ids: pick(frame.ids),
    label: frame.label ? Uint8Array.from(idx, (i) => frame.label![i]!) : undefined,
    rowNumbers: pick(frame.rowNumbers),
    columns: frame.columns.map((c): FrameColumn => {
      if (c.values instanceof Float64Array) return { ...c, values: takeNumbers(c.values, idx) } as FrameColumn;
      return { ...c, values: pick(c.values as CellValue[]) } as FrameColumn;
    }),
  };
}
