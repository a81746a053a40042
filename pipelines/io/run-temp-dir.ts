import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let dir: string | undefined;
let made = 0;

/**
 * A fresh path for a file only this run needs (a link, a converted copy), in a private
 * folder made on first use and removed when the process exits. `name` is kept at its end,
 * without the characters DuckDB would read as a glob, so its extension still tells the format.
 */
export function runTempPath(name: string): string {
  if (!dir) {
    const created = mkdtempSync(path.join(os.tmpdir(), 'leadscore-run-'));
    dir = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return path.join(dir, `${made++}-${path.basename(name).replace(/[*?[\]]/g, '_')}`);
}
