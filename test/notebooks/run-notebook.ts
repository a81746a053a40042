import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/run-cli.ts';

/** The kernel name the notebooks' metadata asks for. */
export const kernelName = 'tslab';

export interface NotebookRun {
  code: number;
  stderr: string;
  /** Each code cell's outputs as text (stream text and error messages), in order. */
  cells: { source: string; outputs: string[]; errored: boolean }[];
}

/**
 * A private Jupyter data directory with the TypeScript kernel (tslab from node_modules),
 * so runs neither need nor touch a user's Jupyter set-up.
 */
export function privateJupyter(dir: string): NodeJS.ProcessEnv {
  const kernel = path.join(dir, 'jupyter', 'kernels', kernelName);
  mkdirSync(kernel, { recursive: true });
  const tslab = path.join(repoRoot, 'node_modules', '.bin', 'tslab');
  writeFileSync(
    path.join(kernel, 'kernel.json'),
    JSON.stringify({ argv: [tslab, 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript', language: 'typescript' }),
  );
  return {
    JUPYTER_PATH: path.join(dir, 'jupyter'),
    JUPYTER_DATA_DIR: path.join(dir, 'jupyter'),
    JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime'),
    JUPYTER_CONFIG_DIR: path.join(dir, 'config'),
    IPYTHONDIR: path.join(dir, 'ipython'),
  };
}

/** Whether `jupyter-nbconvert` can be run here. */
export function nbconvertAvailable(): boolean {
  return spawnSync('jupyter-nbconvert', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Executes a notebook headless with jupyter-nbconvert (cells run in the notebook's own
 * folder, as in Jupyter) and reads back the executed copy. nbconvert stops at the first
 * failing cell and exits non-zero.
 */
export async function runNotebook(notebook: string, outDir: string, env: NodeJS.ProcessEnv): Promise<NotebookRun> {
  const out = path.join(outDir, `executed-${path.basename(notebook)}`);
  // Asynchronous, so the test worker stays responsive during a long run.
  const child = spawn(
    'jupyter-nbconvert',
    ['--to', 'notebook', '--execute', `--ExecutePreprocessor.kernel_name=${kernelName}`, '--ExecutePreprocessor.timeout=900', '--output', out, notebook],
    { cwd: path.dirname(notebook), env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  let cells: NotebookRun['cells'] = [];
  try {
    const executed = JSON.parse(readFileSync(out, 'utf8')) as { cells: { cell_type: string; source: string[] | string; outputs?: Output[] }[] };
    cells = executed.cells
      .filter((c) => c.cell_type === 'code')
      .map((c) => ({
        source: Array.isArray(c.source) ? c.source.join('') : c.source,
        outputs: (c.outputs ?? []).map(outputText),
        errored: (c.outputs ?? []).some((o) => o.output_type === 'error'),
      }));
  } catch {
    // No executed copy: nbconvert failed before writing; its stderr says why.
  }
  return { code, stderr, cells };
}

interface Output {
  output_type: string;
  text?: string[] | string;
  ename?: string;
  evalue?: string;
}

function outputText(o: Output): string {
  if (o.output_type === 'error') return `${o.ename ?? 'Error'}: ${o.evalue ?? ''}`;
  return Array.isArray(o.text) ? o.text.join('') : (o.text ?? `(${o.output_type})`);
}
