import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

// Every command registers its name, options and help from light modules and loads its
// implementation inside its action. A module hook in the child records every module it
// resolves, so a static import of a heavy library anywhere under main.ts shows up here.
const heavy = [
  '@tensorflow/',
  '@duckdb/',
  // vega-parser, vega-view, vega-scenegraph...: the report's renderer, and vega-lite in a checkout.
  'vega',
  'bullmq/',
  'ioredis/',
  'pino/',
  'prom-client/',
];

const tmp = tempDir();
const log = path.join(tmp.dir, 'resolved.txt');
tmp.write(
  'hooks.mjs',
  `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, resolved.url + '\\n');
  return resolved;
}
`,
);
const register = tmp.write(
  'register.mjs',
  `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url, { data: { log: ${JSON.stringify(log)} } });
`,
);

describe('leadscore --help', () => {
  it('registers every command without loading TensorFlow.js, DuckDB, vega, BullMQ or Redis', () => {
    const bin = path.join(repoRoot, 'bin/leadscore.js');
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, bin, '--help'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: leadscore/);
    expect(r.stdout).toMatch(/serve/);

    const resolved = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
    // The hook saw the program being built: commander and every command file.
    expect(resolved.some((url) => url.includes('/node_modules/commander/'))).toBe(true);
    for (const file of [
      'pipelines/cli/commands/train.ts',
      'pipelines/cli/commands/rules-check.ts',
      'serving/serve-command.ts',
    ]) {
      expect(resolved).toContain(pathToFileURL(path.join(repoRoot, file)).href);
    }
    const loadedHeavy = resolved.filter((url) => heavy.some((name) => url.includes(`/node_modules/${name}`)));
    expect(loadedHeavy).toEqual([]);
  });
});
