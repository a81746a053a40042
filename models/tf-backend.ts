/**
 * Which TensorFlow.js backend runs the models, picked once per process.
 *
 * `auto` prefers `tfjs-node` (native TensorFlow) when the optional package can be imported,
 * else `wasm`, else `cpu`. wasm comes before cpu because it measured faster at this model
 * size, by far (`npm run bench:backends`, bank_random 32,950 x 244, 2 cores shared with
 * other work): logistic regression fitted in 0.65 s on wasm against 37 s on cpu, and the
 * MLP took 1.2 s per epoch against 10.2 s, with the same test AUC (0.796 and 0.795). At an
 * earlier width of 70 features the gaps were 1.0 s against 8.8 s, and 2.1 s against 5.5 s.
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../features/errors.ts';

type Tf = typeof import('@tensorflow/tfjs-core');

// TensorFlow.js is loaded on the first backend request, not when this module is imported:
// commands and workers that never touch a TensorFlow model (gradient boosting, rules) do
// without its load time and memory.
let tfModule: Tf | undefined;
let tfImport: Promise<Tf> | null = null;

/** tfjs-core with the CPU backend registered (the fallback every process can run). */
function loadTf(): Promise<Tf> {
  tfImport ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    // Before a backend registers, so it prints no "install tfjs-node" notice.
    tf.enableProdMode();
    await import('@tensorflow/tfjs-backend-cpu');
    tfModule = tf;
    return tf;
  })();
  return tfImport;
}

/** A backend the models can run on. */
export const BackendName = z.enum(['tfjs-node', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;

/** A backend request: one by name, or `auto` (tfjs-node, else wasm, else cpu). */
export const BackendChoice = z.union([BackendName, z.literal('auto')]);
export type BackendChoice = z.infer<typeof BackendChoice>;

/** tfjs's own registry name for each backend. */
const TF_NAME: Record<BackendName, string> = { 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let wasmPathsSet = false;
let nodeImport: Promise<boolean> | null = null;

/** Imports the optional native package once; false when it is not installed or fails to load. */
function importTfjsNode(): Promise<boolean> {
  // A variable specifier keeps the optional package out of the type check and the bundle graph.
  const specifier = '@tensorflow/tfjs-node';
  nodeImport ??= import(specifier).then(
    () => true,
    () => false,
  );
  return nodeImport;
}

/** Registers the wasm backend, pointed at the .wasm binaries shipped in its npm package, so it loads offline. */
async function configureWasm(): Promise<void> {
  if (wasmPathsSet) return;
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  setWasmPaths(dist + path.sep);
  wasmPathsSet = true;
}

async function activate(tf: Tf, name: BackendName): Promise<boolean> {
  if (name === 'tfjs-node' && !(await importTfjsNode())) return false;
  if (name === 'wasm') await configureWasm();
  try {
    return await tf.setBackend(TF_NAME[name]);
  } catch {
    return false;
  }
}

/**
 * Makes `choice` the active backend and returns the one in use. A named backend that cannot
 * start throws InputError; `auto` falls back in order. Also turns on tfjs production mode
 * (no debug checks, no "install tfjs-node" console notice).
 */
export async function useBackend(choice: BackendChoice = 'auto'): Promise<BackendName> {
  const tf = await loadTf();
  if (choice !== 'auto') {
    const current = activeBackend();
    if (current === choice) return choice;
    if (!(await activate(tf, choice))) {
      const hint = choice === 'tfjs-node' ? ' (is @tensorflow/tfjs-node installed?)' : '';
      throw new InputError(`--backend ${choice}: the TensorFlow.js backend could not be started${hint}`);
    }
    return choice;
  }
  for (const name of BackendName.options) {
    if (await activate(tf, name)) return name;
  }
  throw new BackendUnavailableError('no TensorFlow.js backend could be started');
}

/** The backend tfjs is running on now, or null before any was started (or an unknown one). */
export function activeBackend(): BackendName | null {
  if (!tfModule) return null;
  // tf.getBackend() reads the engine's current name without starting a backend.
  const tfName = tfModule.getBackend() as string | null;
  return BackendName.options.find((name) => TF_NAME[name] === tfName) ?? null;
}

/** Starts the default backend unless one is running already; models call this before using tensors. */
export async function ensureBackend(): Promise<BackendName> {
  return activeBackend() ?? useBackend('auto');
}

/** No TensorFlow.js backend could be started on this machine (neither wasm nor cpu loads). */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}
