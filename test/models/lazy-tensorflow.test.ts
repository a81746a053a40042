import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// TensorFlow.js costs a process (or a worker thread) about 0.3 s and 65 MB to load: a
// gradient-boosting model must fit, save, load and score without it, and a logistic
// regression loads it on first use. A module hook in the child records what it resolves.
const tmp = tempDir();
const hooks = tmp.write(
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

function resolvedBy(kind: 'gbdt' | 'logistic'): string[] {
  const log = path.join(tmp.dir, `${kind}.txt`);
  const register = tmp.write(
    `register-${kind}.mjs`,
    `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)}, import.meta.url, { data: { log: ${JSON.stringify(log)} } });
`,
  );
  const url = (file: string) => JSON.stringify(pathToFileURL(path.join(repoRoot, file)).href);
  const script = tmp.write(
    `${kind}.mts`,
    `const { createScorer, scorerFromArtifact } = await import(${url('models/scorer-registry.ts')});
const { xorData } = await import(${url('test/models/gbdt/fixtures.ts')});
const { x, y } = xorData(400, 1);
const fitted = await (await createScorer('${kind}', ${kind === 'gbdt' ? '{ categoricalFeatures: [] }' : '{}'})).fit(x, y);
const restored = await scorerFromArtifact(await fitted.toArtifact());
const p = await restored.predictProba(x);
if (!(p.length === 400 && p.every((v) => v >= 0 && v <= 1))) throw new Error('bad probabilities');
`,
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(register).href, script], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((u) => u.includes('/node_modules/@tensorflow/'));
}

describe('TensorFlow.js is loaded only for a TensorFlow model', () => {
  it('is not loaded to fit, save, load and score a gradient-boosting model', () => {
    expect(resolvedBy('gbdt')).toEqual([]);
  });

  it('is loaded for a logistic regression', () => {
    expect(resolvedBy('logistic').some((u) => u.includes('/@tensorflow/tfjs-core/'))).toBe(true);
  });
});
