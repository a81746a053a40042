import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRedis, type LocalRedis } from '../helpers/local-redis.ts';
import { repoRoot } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { nbconvertAvailable, privateJupyter, runNotebook } from '../notebooks/run-notebook.ts';
import { freshName } from '../serving/redis-server.ts';
import { installOffline, packCheckout, readmeBlock, run } from './install-package.ts';

// The package as a user gets it: packed (which builds dist/), installed from the tarball into
// a fresh project, and used from there with plain Node, no TypeScript loader.
const tmp = tempDir('leadscore-package-');
const project = path.join(tmp.dir, 'project');
let files: string[] = [];
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
// The consumer's own @types/node, as a TypeScript project would have it.
const typeRoots = path.join(repoRoot, 'node_modules/@types');
const strictOptions = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  typeRoots: [typeRoots],
  types: ['node'],
};
const strictFlags = Object.entries(strictOptions).flatMap(([k, v]) => [
  `--${k}`,
  Array.isArray(v) ? v.join(',') : String(v),
]);

beforeAll(async () => {
  mkdirSync(project);
  const packed = await packCheckout(project);
  files = packed.files;
  await installOffline(project, packed.tarball);
}, 300_000);

describe('the installed package', () => {
  it('ships the compiled code, its types and the demo data, and no tests, benchmarks, notebooks or TypeScript sources', () => {
    expect(files).toContain('bin/leadscore.js');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/serving/index.d.ts');
    expect(files).toContain('dist/serving/worker-thread.js');
    expect(files).toContain('dist/pipelines/configs/bank-marketing.yaml');
    expect(
      files.filter((f) =>
        /^(test|notebooks|pipelines|serving|models|features|training)\/|^dist\/(test|notebooks|pipelines\/bench)\//.test(
          f,
        ),
      ),
    ).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('imports leadscore and leadscore/serving in plain Node', async () => {
    const script = `
      const api = await import('leadscore');
      const serving = await import('leadscore/serving');
      const names = (m) => Object.keys(m).filter((k) => typeof m[k] === 'function');
      console.log(JSON.stringify({ api: names(api), serving: names(serving) }));`;
    const out = JSON.parse(await run(process.execPath, ['--input-type=module', '-e', script], project)) as {
      api: string[];
      serving: string[];
    };
    expect(out.api).toEqual(
      expect.arrayContaining([
        'loadConfig',
        'train',
        'evaluate',
        'score',
        'loadModel',
        'LeadModel',
        'loadRules',
        'scoreWithRules',
        'drift',
        'ModelRegistry',
      ]),
    );
    expect(out.serving).toEqual(
      expect.arrayContaining(['startWorker', 'LeadScoringClient', 'publishProductionPointer']),
    );
  });

  it("type-checks a strict consumer, and the README's examples, against the shipped types", async () => {
    writeFileSync(path.join(project, 'consumer.ts'), consumerSource);
    writeFileSync(path.join(project, 'use-from-code.ts'), readmeBlock('## Use from code', 'ts'));
    writeFileSync(
      path.join(project, 'embedded-worker.ts'),
      readmeBlock('A service can run the worker in its own process', 'ts'),
    );
    writeFileSync(path.join(project, 'client.ts'), readmeBlock('## Calling the scorer from a service', 'ts'));
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { ...strictOptions, noEmit: true },
        files: ['consumer.ts', 'use-from-code.ts', 'embedded-worker.ts', 'client.ts'],
      }),
    );
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
  });

  it('runs `npx leadscore --help` on the compiled CLI', async () => {
    const out = await run('npx', ['--offline', 'leadscore', '--help'], project);
    expect(out).toMatch(/^Usage: leadscore/);
    expect(out).toMatch(/serve/);
    expect(existsSync(path.join(project, 'node_modules/leadscore/pipelines'))).toBe(false);
  });

  describe('serving', () => {
    let redis: LocalRedis;
    beforeAll(async () => {
      redis = await startLocalRedis();
    });
    afterAll(async () => {
      await redis?.dispose();
    });

    it("scores through the README's client example against a worker from startWorker, which closes cleanly", async () => {
      const model = path.join(project, 'model');
      const config = path.join(project, 'node_modules/leadscore/dist/pipelines/configs/bank-marketing.yaml');
      await run('npx', ['--offline', 'leadscore', 'train', '--config', config, '--out', model], project);
      const queue = freshName();
      writeFileSync(path.join(project, 'worker.mjs'), workerSource);
      const worker = spawn(process.execPath, ['worker.mjs', model, redis.url, queue], {
        cwd: project,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      worker.stdout.on('data', (d: Buffer) => (output += d.toString()));
      worker.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
      try {
        await until(
          () => output.includes('ready'),
          () => output,
          60_000,
        );
        // As written, compiled as a TypeScript user would, on this test's queue and private Redis.
        const example = readmeBlock('## Calling the scorer from a service', 'ts').replaceAll(
          "queue: 'leadscore'",
          `queue: '${queue}'`,
        );
        writeFileSync(path.join(project, 'client.ts'), example);
        await run(process.execPath, [tsc, 'client.ts', '--outDir', 'client', ...strictFlags], project);
        const printed = await run(process.execPath, ['client/client.js'], project, { LEADSCORE_REDIS_URL: redis.url });
        expect(printed).toMatch(/^\S+ [\d.e-]+ \[/m);
      } finally {
        worker.kill('SIGTERM');
      }
      // close() let go of every connection, timer and thread: the process ends on its own.
      expect(await exited).toBe(0);
      expect(output).toContain('closed finished');
    }, 240_000);
  });
});

async function until(done: () => boolean, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const workerSource = `import { startWorker } from 'leadscore/serving';

const [model, redis, queue] = process.argv.slice(2);
// Two threads: the compiled worker thread runs too.
const handle = await startWorker({ model, redis, queue, threads: 2, metricsPort: 0, reloadInterval: 0, logLevel: 'warn' });
console.log('ready');
process.once('SIGTERM', async () => console.log('closed', await handle.close()));
`;

const consumerSource = `import { drift, evaluate, InputError, loadConfig, loadModel, ModelRegistry, score, train, type LeadScoreResult } from 'leadscore';
import { LeadScoringClient, ScoreResult, startWorker, type Stopped } from 'leadscore/serving';

export async function pipeline(configFile: string): Promise<number> {
  const config = await loadConfig(configFile);
  const trained = await train(config, { out: 'models/v1' });
  const auc: number = trained.comparison.model.auc;
  const loaded = await loadModel(trained.dir);
  const evaluation = await evaluate(loaded);
  await score(loaded, { input: 'new-leads.csv', output: 'scores.csv' });
  const results: LeadScoreResult[] = await loaded.model.scoreLeads([{ leadId: 'a', attributes: { age: 41 }, events: [], asOf: Date.now() }]);
  const first = results[0];
  // @ts-expect-error an index may be out of range (noUncheckedIndexedAccess): the types are not any
  const tier: string = results[0].tier;
  const report = await drift({ model: trained.dir, data: 'new-leads.csv' });
  const registry = new ModelRegistry('models');
  await registry.promote(trained.model.version);
  return auc + evaluation.comparison.model.auc + (first?.probability ?? 0) + report.features.length + tier.length;
}

export async function service(): Promise<Stopped> {
  const worker = await startWorker({ model: 'models/v1', metricsPort: 0 });
  const client = new LeadScoringClient({ redisUrl: 'redis://127.0.0.1:6379', queue: 'leadscore' });
  const result: ScoreResult = await client.score({ leadId: 'a', attributes: { age: 41 } });
  console.log(result.tier, ScoreResult.parse(result).probability);
  // @ts-expect-error options are typed: a misspelt one is refused
  await startWorker({ modle: 'models/v1' });
  await client.close();
  return worker.close();
}

export function isBadInput(err: unknown): boolean {
  return err instanceof InputError;
}
`;

describe('the notebooks, on the build packing made', () => {
  // Cells import `leadscore` by its own name, which resolves to this checkout's dist/ (built
  // by packing in beforeAll, so these run here and not beside another build).
  const notebooks = path.join(repoRoot, 'notebooks');
  for (const name of ['01-explore-data.ipynb', '02-train-and-compare.ipynb']) {
    it(`${name} runs without a cell error, typed against the public API only`, async () => {
      if (!nbconvertAvailable())
        throw new Error('jupyter-nbconvert not found: apt-get install -y jupyter-nbconvert python3-ipykernel');
      const source = readFileSync(path.join(notebooks, name), 'utf8');
      // Nothing but the package's root export: no project module loaded by path.
      expect(source).toMatch(/await importLeadscore\(\)/);
      expect(source).not.toMatch(/(pipelines|features|models|training|serving)\/[\w/-]+\.ts/);
      const dir = path.join(tmp.dir, `notebook-${name}`);
      const run = await runNotebook(path.join(notebooks, name), dir, privateJupyter(dir));
      const failed = run.cells.find((c) => c.errored);
      expect(failed?.outputs.join('\n') ?? '', run.stderr.slice(-2000)).toBe('');
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      expect(run.cells.length).toBeGreaterThan(5);
      expect(run.cells.every((c) => c.outputs.length > 0 || !/console\.|display/.test(c.source))).toBe(true);
    }, 300_000);
  }
});
