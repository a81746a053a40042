import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { TextEncoding } from '../../features/feature-config.ts';
import { runTempPath } from './run-temp-dir.ts';

/** Copies already made, by file and encoding. */
const copies = new Map<string, string>();

/**
 * A UTF-8 copy of `file` written in `encoding` (see runTempPath), for
 * DuckDB, which reads UTF-8 (its own latin-1 refuses the windows-1252 bytes). Converted a
 * megabyte at a time; the same file is converted once per run. A UTF-8 file is read as is.
 */
export function utf8Path(file: string, encoding: TextEncoding | undefined): string {
  if (encoding === undefined || encoding === 'utf-8') return file;
  const key = `${encoding}:${path.resolve(file)}`;
  let copy = copies.get(key);
  if (!copy) {
    copy = runTempPath(file);
    transcode(file, copy);
    copies.set(key, copy);
  }
  return copy;
}

/** windows-1252's characters for the bytes 0x80-0x9F (ISO 8859-1 has control characters there; five are unassigned and kept). */
const cp1252High =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

// Node's TextDecoder reads "windows-1252" as ISO 8859-1, so the 32 bytes that differ are mapped here.
function transcode(from: string, to: string): void {
  const input = openSync(from, 'r');
  const output = openSync(to, 'w');
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (let n = readSync(input, chunk); n > 0; n = readSync(input, chunk)) {
      const text = chunk
        .toString('latin1', 0, n)
        .replace(/[\u0080-\u009f]/g, (c) => cp1252High[c.charCodeAt(0) - 0x80]!);
      writeSync(output, text, null, 'utf8');
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
}
