import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { kernelName, nbconvertAvailable, privateJupyter, runNotebook } from './run-notebook.ts';

/** Spawned CLI runs and model fits: generous, since a loaded two-core machine is slow. */
const LONG = 300_000;

const notebooks = path.join(repoRoot, 'notebooks');

function notebookWith(sources: string[]): object {
  return {
    cells: sources.map((s, i) => ({ cell_type: 'code', id: `t${i}`, metadata: {}, execution_count: null, outputs: [], source: s })),
    metadata: { kernelspec: { name: kernelName, display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

// The notebooks themselves run on the package's build (they import `leadscore`): in
// test/package/installed-package.test.ts, after packing has built dist/. Here, the harness.
describe('notebooks (executed headless with the TypeScript kernel)', () => {
  const { dir } = tempDir('leadscore-notebooks-');
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    // Installed by .ci/run (Debian's jupyter-nbconvert); a machine without it fails here, loudly.
    if (!nbconvertAvailable()) throw new Error('jupyter-nbconvert not found: apt-get install -y jupyter-nbconvert python3-ipykernel');
    env = privateJupyter(dir);
  });

  it('catches a failing cell: a thrown error and a type error both fail the run', async () => {
    const file = path.join(notebooks, `.test-failing-${process.pid}.ipynb`);
    for (const source of ['const n: number = 1;\nthrow new Error(`boom ${n}`);', "const s: number = 'text';"]) {
      writeFileSync(file, JSON.stringify(notebookWith(['const ok = 1;', source])));
      try {
        const run = await runNotebook(file, dir, env);
        expect(run.code).not.toBe(0);
        expect(run.stderr).toMatch(/CellExecutionError|boom|not assignable/);
      } finally {
        rmSync(file, { force: true });
      }
    }
  }, LONG);

});
