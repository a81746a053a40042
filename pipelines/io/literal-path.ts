import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { runTempPath } from './run-temp-dir.ts';

/** Characters that make DuckDB read a path as a glob pattern. */
const globChars = /[*?[]/;

/** Links already made, by the path they stand for. */
const links = new Map<string, string>();

/**
 * A path DuckDB reads as the one file `file` names, even when its name holds `*`, `?` or
 * `[` (DuckDB has no escape for them: `leads*.csv` would read every matching file). Such a
 * path becomes a symbolic link with a plain name (see runTempPath).
 */
export function literalPath(file: string): string {
  if (!globChars.test(file)) return file;
  const abs = path.resolve(file);
  let link = links.get(abs);
  if (!link) {
    link = runTempPath(abs);
    symlinkSync(abs, link);
    links.set(abs, link);
  }
  return link;
}

/** True when DuckDB would read `file` as a glob pattern. */
export function hasGlob(file: string): boolean {
  return globChars.test(file);
}
