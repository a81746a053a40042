import { z } from 'zod';

/** The kinds of column a feature can be built from. */
export const ColumnType = z.enum(['numeric', 'categorical', 'boolean', 'timestamp', 'text']);
export type ColumnType = z.infer<typeof ColumnType>;

/** One cell. Timestamps are epoch milliseconds (UTC); missing is `null`. */
export type CellValue = string | number | boolean | null;

/** A typed column of a loaded table. */
export type FrameColumn =
  | { name: string; type: 'numeric'; values: (number | null)[] }
  | { name: string; type: 'timestamp'; values: (number | null)[] }
  | { name: string; type: 'boolean'; values: (boolean | null)[] }
  | { name: string; type: 'categorical' | 'text'; values: (string | null)[] };

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
  for (const c of frame.columns) out[c.name] = c.values[i] ?? null;
  return out;
}

/** The column called `name`, or undefined. */
export function frameColumn(frame: Frame, name: string): FrameColumn | undefined {
  return frame.columns.find((c) => c.name === name);
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
    columns: frame.columns.map((c) => ({ ...c, values: pick(c.values as CellValue[]) }) as FrameColumn),
  };
}
