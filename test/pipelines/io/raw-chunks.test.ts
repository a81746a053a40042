import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDb } from '../../../pipelines/io/duckdb.ts';
import { openRawChunks } from '../../../pipelines/io/raw-chunks.ts';
import { readRawTable } from '../../../pipelines/io/read-raw-table.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();

async function allChunks(file: string, rows: number) {
  const conn = await openDuckDb();
  try {
    const raw = await openRawChunks(conn, file);
    const chunks = [];
    for await (const c of raw.chunks(raw.header, rows)) chunks.push(c);
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

  it('refuses a file that is not UTF-8 once, with the way out, as readRawTable does', async () => {
    const file = path.join(tmp.dir, 'latin1.csv');
    writeFileSync(file, Buffer.from('id,name\nA,Jos\xe9\nB,Ana\n', 'latin1'));
    await expect(allChunks(file, 10)).rejects.toThrow(/latin1\.csv: not UTF-8 \(line 2\); set encoding: latin-1/);
  });
});
