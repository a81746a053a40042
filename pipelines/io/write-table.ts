import type { DataFormat } from './table-source.ts';
import { TableWriter, type Cell, type WrittenColumn } from './table-writer.ts';

/**
 * Writes rows to CSV, Parquet or JSON Lines (chosen by extension, or `format`). Numbers,
 * booleans and strings keep their types in Parquet and JSON Lines; null stays missing.
 * All rows at once, through TableWriter (a temporary name renamed when complete).
 */
export async function writeTable(file: string, columns: string[], rows: Cell[][], format?: DataFormat): Promise<void> {
  const writer = await TableWriter.open(
    file,
    columns.map((name, i) => ({ name, type: duckType(rows, i) })),
    format,
  );
  try {
    await writer.write(rows);
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

function duckType(rows: Cell[][], i: number): WrittenColumn['type'] {
  for (const row of rows) {
    const v = row[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') return 'DOUBLE';
    if (typeof v === 'boolean') return 'BOOLEAN';
    return 'VARCHAR';
  }
  return 'VARCHAR';
}
