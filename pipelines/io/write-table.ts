import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import { ident, literal, openDuckDb } from './duckdb.ts';
import { detectFormat, type DataFormat } from './table-source.ts';

export type Cell = string | number | boolean | null | undefined;

/**
 * Writes rows to CSV, Parquet or JSON Lines (chosen by extension, or `format`). Numbers,
 * booleans and strings keep their types in Parquet and JSON Lines; null stays missing.
 */
export async function writeTable(file: string, columns: string[], rows: Cell[][], format?: DataFormat): Promise<void> {
  const f = detectFormat(file, format);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const jsonl = rows.map((row) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])))).join('\n');
  if (f === 'jsonl') {
    writeFileSync(file, jsonl ? `${jsonl}\n` : '');
    return;
  }
  if (f === 'csv' || f === 'tsv') {
    const sep = f === 'tsv' ? '\t' : ',';
    const lines = [columns.map((c) => csvCell(c, sep)).join(sep), ...rows.map((row) => columns.map((_, i) => csvCell(row[i], sep)).join(sep))];
    writeFileSync(file, `${lines.join('\n')}\n`);
    return;
  }
  // Parquet: stage as JSON Lines and let DuckDB write it with the column types declared.
  const tmp = path.join(os.tmpdir(), `leadscore-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(tmp, jsonl);
  const types = columns.map((_, i) => duckType(rows, i));
  const conn = await openDuckDb();
  try {
    const spec = `{${columns.map((c, i) => `${literal(c)}: ${literal(types[i]!)}`).join(', ')}}`;
    const select = rows.length
      ? `SELECT * FROM read_json(${literal(tmp)}, format = 'newline_delimited', columns = ${spec})`
      : `SELECT ${columns.map((c, i) => `NULL::${types[i]} AS ${ident(c)}`).join(', ')} LIMIT 0`;
    await conn.run(`COPY (${select}) TO ${literal(path.resolve(file))} (FORMAT parquet)`);
  } catch (err) {
    throw new InputError(`${file}: cannot write parquet: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    conn.closeSync();
    rmSync(tmp, { force: true });
  }
}

function duckType(rows: Cell[][], i: number): string {
  for (const row of rows) {
    const v = row[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') return 'DOUBLE';
    if (typeof v === 'boolean') return 'BOOLEAN';
    return 'VARCHAR';
  }
  return 'VARCHAR';
}

export function csvCell(v: Cell, sep: string): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replaceAll('"', '""')}"` : s;
}
