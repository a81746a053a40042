import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Folders made by tempDir in this test file. */
const made: string[] = [];
// Registered when a test file loads this module, so folders made inside a test are removed
// too (a hook registered from inside a running test never runs).
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder removed after the test file; `write` puts a file in it and returns its path. */
export function tempDir(prefix = 'leadscore-test-'): { dir: string; write: (name: string, content: string) => string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return {
    dir,
    write: (name, content) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
  };
}
