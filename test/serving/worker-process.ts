import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const bin = path.join(import.meta.dirname, '../../bin/leadscore.js');

/** A `leadscore serve` process. */
export interface WorkerProcess {
  child: ChildProcess;
  metricsPort: number;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs `leadscore serve` with `options` as flags (camelCase names become --kebab-case, `true`
 * a flag without value) and resolves once it takes jobs; rejects with its output if it exits
 * first.
 */
export async function startWorkerProcess(
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WorkerProcess> {
  const flags = Object.entries<unknown>({ metricsPort: 0, logLevel: 'info', ...options }).flatMap(([k, v]) => {
    const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return v === true ? [flag] : [flag, String(v)];
  });
  const child = spawn(process.execPath, [bin, 'serve', ...flags], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const metricsPort = await new Promise<number>((resolve, reject) => {
    const onData = (): void => {
      const m = /"metricsPort":(\d+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`leadscore serve exited (${code}) before taking jobs:\n${out}`)));
  });
  return { child, metricsPort, output: () => out, exited };
}

/** Resolves once `check` returns true, looking every `everyMs`; rejects after `limitMs`. */
export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  limitMs = 60_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
