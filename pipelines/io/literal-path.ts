import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Characters that make DuckDB read a path as a glob pattern. */
const globChars = /[*?[]/;

/** Links already made, by the path they stand for. */
const links = new Map<string, string>();
let linkDir: string | undefined;

/**
 * A path DuckDB reads as the one file `file` names, even when its name holds `*`, `?` or
 * `[` (DuckDB has no escape for them: `leads*.csv` would read every matching file). Such a
 * path becomes a symbolic link with a plain name, in a private folder removed at exit; the
 * extension is kept, so compression and format are still told by it.
 */
export function literalPath(file: string): string {
  if (!globChars.test(file)) return file;
  const abs = path.resolve(file);
  let link = links.get(abs);
  if (!link) {
    if (!linkDir) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'leadscore-literal-'));
      linkDir = dir;
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    link = path.join(linkDir, `${links.size}-${path.basename(abs).replace(/[*?[\]]/g, '_')}`);
    symlinkSync(abs, link);
    links.set(abs, link);
  }
  return link;
}

/** True when DuckDB would read `file` as a glob pattern. */
export function hasGlob(file: string): boolean {
  return globChars.test(file);
}
