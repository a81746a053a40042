import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../features/errors.ts';

/** The encodings a text file may be declared in (`encoding:` in the config). */
export const encodingHint =
  'set encoding: latin-1 (or windows-1252) for it in the config, or convert it to UTF-8 (iconv -f windows-1252 -t utf-8)';

/**
 * Turns DuckDB's complaint about a data file into one line saying what is wrong and where:
 * a line too long is located in the file (DuckDB names the line its sniffer was on), a file
 * that is not UTF-8 gets the way out; anything else keeps DuckDB's first line.
 */
export function readError(file: string, what: string, err: unknown): InputError {
  const message = err instanceof Error ? err.message : String(err);
  const tooLong = /Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+) bytes/.exec(message);
  if (tooLong) {
    const limit = Number(tooLong[1]);
    const line = firstLineLongerThan(file, limit);
    const where = line
      ? `line ${line.line} (counting the header) is ${line.bytes} bytes long`
      : `a line is ${tooLong[2]} bytes long`;
    return new InputError(
      `${file}: ${where}, more than the ${limit} bytes a line may have: an unclosed quote, a wrong delimiter, or not a CSV file`,
    );
  }
  if (/Invalid unicode|not utf-8 encoded/i.test(message)) return notUtf8(file);
  return new InputError(`${file}: ${what}: ${message.split('\n')[0] ?? message}`);
}

/** A file whose bytes are not UTF-8: one line with the way out. */
export function notUtf8(file: string, line?: number): InputError {
  return new InputError(`${file}: not UTF-8${line ? ` (line ${line})` : ''}; ${encodingHint}`);
}

/** The first line (1-based, the header is line 1) longer than `limit` bytes, read in chunks; undefined when none is. */
export function firstLineLongerThan(file: string, limit: number): { line: number; bytes: number } | undefined {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let line = 1;
    let length = 0;
    let found: { line: number; bytes: number } | undefined;
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      for (let i = 0; i < n; i++) {
        if (chunk[i] === 0x0a) {
          if (found) return found;
          line++;
          length = 0;
        } else if (++length > limit && !found) {
          found = { line, bytes: 0 };
        }
        if (found && found.line === line) found.bytes = length;
      }
    }
    return found;
  } finally {
    closeSync(fd);
  }
}
