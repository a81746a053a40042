import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { repoRoot } from '../helpers/run-cli.ts';

interface LockEntry {
  dev?: boolean;
  [field: string]: unknown;
}

/**
 * Runs a command to completion (asynchronously: the test worker keeps answering) and
 * resolves to its stdout; rejects with its output when it fails.
 */
export async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const r = await promisify(execFile)(command, args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 240_000,
      maxBuffer: 64 << 20,
    });
    return r.stdout;
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} exited ${String(e.code)}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Packs the checkout as `npm publish` would (prepack builds dist/): the tarball's path and the files it holds. */
export async function packCheckout(into: string): Promise<{ tarball: string; files: string[] }> {
  const out = await run('npm', ['pack', '--json', '--pack-destination', into], repoRoot, {
    npm_config_loglevel: 'error',
  });
  // prepack's own output comes before the JSON report.
  const report = JSON.parse(out.slice(out.indexOf('[\n'))) as { filename: string; files: { path: string }[] }[];
  const first = report[0]!;
  return { tarball: path.join(into, first.filename), files: first.files.map((f) => f.path) };
}

/**
 * Installs the tarball (in `dir`) into a fresh project at `dir` without the network: the project's
 * lockfile pins leadscore's production dependencies at the checkout's locked versions,
 * whose tarballs the npm cache holds since `npm ci`, and `npm ci --offline` installs them.
 */
export async function installOffline(dir: string, tarball: string): Promise<void> {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  const spec = `file:${path.basename(tarball)}`;
  const packages: Record<string, unknown> = { '': { name: 'consumer', dependencies: { leadscore: spec } } };
  for (const [where, entry] of Object.entries(lock.packages)) {
    if (where !== '' && !entry.dev) packages[where] = entry;
  }
  packages['node_modules/leadscore'] = {
    version: pkg['version'],
    resolved: spec,
    license: pkg['license'],
    dependencies: pkg['dependencies'],
    bin: pkg['bin'],
    engines: pkg['engines'],
  };
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { leadscore: spec } }, null, 2),
  );
  writeFileSync(
    path.join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir, {
    npm_config_loglevel: 'error',
  });
}

/** The README's first code block after `heading`, as written. */
export function readmeBlock(heading: string, lang: string): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const open = `\`\`\`${lang}\n`;
  const start = section.indexOf(open) + open.length;
  return section.slice(start, section.indexOf('\n```', start) + 1);
}
