import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertColumn } from '../../../pipelines/io/convert-column.ts';
import { literal, openDuckDb } from '../../../pipelines/io/duckdb.ts';
import { openRawChunks, type TypedColumns } from '../../../pipelines/io/raw-chunks.ts';
import { readRawTable } from '../../../pipelines/io/read-raw-table.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();

async function allChunks(file: string, rows: number, typed?: TypedColumns) {
  const conn = await openDuckDb();
  try {
    const raw = await openRawChunks(conn, file);
    const chunks = [];
    for await (const c of raw.chunks(raw.header, rows, typed)) chunks.push(c);
    return { raw, chunks };
  } finally {
    conn.closeSync();
  }
}

describe('openRawChunks', () => {
  it('numbers rows and malformed lines as readRawTable does, chunk by chunk', async () => {
    const file = tmp.write('leads.csv', 'id,name\na,Ann\nb,Bo,extra\nc,Cy\nd,Di\ne,Ed\n');
    const whole = await readRawTable(file);
    const { raw, chunks } = await allChunks(file, 2);
    expect(raw.rowCount).toBe(whole.rowNumbers.length);
    expect(chunks.flatMap((c) => c.rowNumbers)).toEqual(whole.rowNumbers);
    expect(chunks.flatMap((c) => c.badRows.map((b) => b.row))).toEqual(whole.badRows.map((b) => b.row));
    expect(chunks.flatMap((c) => c.values[1]!)).toEqual(whole.values[1]);
    expect(raw.rowNumberOf(1)).toBe(3);
  });

  it('reads only the rows kept, in the same chunks of the file, malformed lines among them', async () => {
    const file = tmp.write('keep.csv', 'id,name\na,Ann\nb,Bo,extra\nc,Cy\nd,Di\ne,Ed\nf,Fy\n');
    const conn = await openDuckDb();
    try {
      const raw = await openRawChunks(conn, file);
      const kept = [];
      for await (const c of raw.chunks(raw.header, 2, undefined, (row) => row !== 1 && row !== 5)) kept.push(c);
      // Rows 1-6, row 2 malformed: chunks {1, 3 (bad 2)}, {4, 5}, {6}, as without `keep`.
      expect(kept.map((c) => c.rowNumbers)).toEqual([[3], [4], [6]]);
      expect(kept.map((c) => c.values[1])).toEqual([['Cy'], ['Di'], ['Fy']]);
      expect(kept.map((c) => c.badRows.map((b) => b.row))).toEqual([[2], [], []]);
    } finally {
      conn.closeSync();
    }
  });

  it('refuses a file that is not UTF-8 once, with the way out, as readRawTable does', async () => {
    const file = path.join(tmp.dir, 'latin1.csv');
    writeFileSync(file, Buffer.from('id,name\nA,Jos\xe9\nB,Ana\n', 'latin1'));
    await expect(allChunks(file, 10)).rejects.toThrow(/latin1\.csv: not UTF-8 \(line 2\); set encoding: latin-1/);
  });
});

describe('openRawChunks reading numbers and times as stored', () => {
  // Every cell converts to what its text converts to: the same number (sign of zero included),
  // the same missing value, the same error.
  const types: ReadonlyMap<string, 'numeric' | 'timestamp'> = new Map([
    ['small', 'numeric'],
    ['big', 'numeric'],
    ['real', 'numeric'],
    ['float', 'numeric'],
    ['at', 'timestamp'],
    ['day', 'timestamp'],
  ] as const);
  const columns = `
    (i % 7 - 3)::INTEGER AS small,
    CASE i % 5 WHEN 0 THEN 9007199254740993 WHEN 1 THEN -9007199254740992 WHEN 2 THEN NULL ELSE i * 1000003 END::BIGINT AS big,
    CASE i % 11 WHEN 0 THEN 'inf'::DOUBLE WHEN 1 THEN 'nan'::DOUBLE WHEN 2 THEN -1.0::DOUBLE * 0.0::DOUBLE WHEN 3 THEN 1e300 WHEN 4 THEN NULL
      WHEN 5 THEN -1 ELSE i / 7.0 * pow(10, i % 19 - 9) END::DOUBLE AS real,
    (i / 3.0)::FLOAT AS float,
    CASE i % 6 WHEN 0 THEN TIMESTAMP '1969-12-31 23:59:59.999999' WHEN 1 THEN NULL WHEN 2 THEN 'infinity'::TIMESTAMP
      WHEN 3 THEN TIMESTAMP '1970-01-01 00:00:00' ELSE TIMESTAMP '2025-02-15 15:43:18.336' + INTERVAL (i * 7777777) MICROSECOND END AS at,
    CASE i % 4 WHEN 0 THEN DATE '1960-05-01' WHEN 1 THEN NULL ELSE DATE '2024-02-28' + i::INTEGER END AS day`;

  it('gives the numbers, missing values and errors of the text, for Parquet columns of every kind', async () => {
    const file = path.join(tmp.dir, 'typed.parquet');
    const conn = await openDuckDb();
    await conn.run(`COPY (SELECT ${columns} FROM range(400) t(i)) TO ${literal(file)} (FORMAT parquet)`);
    conn.closeSync();
    const missingValues = ['-1', '1970-01-01 00:00:00'];
    const text = await allChunks(file, 150);
    const typed = await allChunks(file, 150, { types, missingValues });
    let asNumbers = 0;
    typed.chunks.forEach((chunk, k) => {
      const plain = text.chunks[k]!;
      expect(chunk.rowNumbers).toEqual(plain.rowNumbers);
      chunk.columns.forEach((name, c) => {
        const tokens = (v: string | null) => (v !== null && missingValues.includes(v.trim()) ? null : v);
        const want = convertColumn(name, plain.values[c]!.map(tokens), types.get(name));
        const numbers = chunk.numbers?.[c];
        const got = convertColumn(name, chunk.values[c]!.map(tokens), types.get(name), undefined, numbers);
        expect(Array.from(got.column.values as Float64Array), name).toEqual(
          Array.from(want.column.values as Float64Array),
        );
        expect(got.errors, name).toEqual(want.errors);
        if (numbers) asNumbers += numbers.filter((x) => !Number.isNaN(x)).length;
      });
    });
    // FLOAT is read as text; the others mostly as numbers, with the odd cells as text.
    expect(typed.chunks[0]!.numbers?.[3]).toBeUndefined();
    expect(asNumbers).toBeGreaterThan(1000);
    expect(text.chunks.flatMap((c) => c.values[2]!)).toContain('-0.0');
  });
});
