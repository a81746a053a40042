/**
 * What bench:scale's scikit-learn peers share: finding a Python with scikit-learn, the
 * HistGradientBoostingClassifier they fit (the settings of our gradient boosting), and
 * running a script or a benchmark module in a process of its own for one JSON answer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Python with scikit-learn (Debian's python3-sklearn), or undefined when there is none. */
export function sklearnPython(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (python.startsWith('/') && !existsSync(python)) continue;
    const r = spawnSync(python, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return python;
  }
  return undefined;
}

/**
 * Python source defining `hgb(rounds, **extra)`: a HistGradientBoostingClassifier with our
 * gradient boosting's leaves, learning rate, bins, L2 and minimum leaf size, `rounds` rounds
 * without early stopping; `extra` adds settings (categorical_features, say). `HGB_THREADS` is
 * the OpenMP threads it fits with: every core, or OMP_NUM_THREADS when set.
 */
export const HGB_PYTHON = `
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
HGB_THREADS = _openmp_effective_n_threads()
def hgb(rounds, **extra):
    return HistGradientBoostingClassifier(learning_rate=0.05, max_iter=rounds, max_leaf_nodes=31,
        min_samples_leaf=20, l2_regularization=1.0, max_bins=255, early_stopping=False, random_state=42, **extra)
`;

/** The last line a child printed, parsed as JSON; an Error with `what` and its last stderr line when it failed. */
function lastJsonLine<T>(r: ReturnType<typeof spawnSync>, what: string): T {
  const text = (out: unknown) => String(out ?? '').trim();
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}): ${text(r.stderr).split('\n').at(-1)}`);
  return JSON.parse(text(r.stdout).split('\n').at(-1)!) as T;
}

/** Runs the Python `script` with `args`; the JSON object it printed last. */
export function runPythonScript<T>(python: string, script: string, args: string[], what: string): T {
  return lastJsonLine<T>(spawnSync(python, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 }), what);
}

/**
 * Runs the benchmark module `file` (TypeScript, through tsx) with `args` in a process of its
 * own; the JSON object it printed last. Loading a training set or a DuckDB join takes memory,
 * and a parent's peak RSS would otherwise show in the peak of every command it starts
 * afterwards (Linux keeps ru_maxrss across fork and exec).
 */
export function runModuleInChild<T>(file: string, args: string[], what: string): T {
  return lastJsonLine<T>(
    spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 }),
    what,
  );
}
