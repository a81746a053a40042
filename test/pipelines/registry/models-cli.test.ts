import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startLocalRedis, type LocalRedis } from '../../helpers/local-redis.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { fakeArtifact } from './fake-artifact.ts';

/** Spawned CLI runs and model fits: generous, since a loaded two-core machine is slow. */
const LONG = 300_000;

describe('leadscore models (CLI, with a private Redis)', () => {
  let server: LocalRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startLocalRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    redis.disconnect();
    await server.dispose();
  });

  it(
    'promotes, refuses a worse model by how much, forces, rolls back, and publishes each switch',
    async () => {
      const { dir } = tempDir();
      const registry = path.join(dir, 'models');
      const key = 'leadscore:test:production';
      const r = ['--registry', registry];
      const pub = ['--redis', server.url, '--key', key];
      for (const [name, auc] of [
        ['a', 0.7],
        ['b', 0.74],
        ['c', 0.71],
      ] as const) {
        expect(runCli(['models', 'add', fakeArtifact(dir, name, auc), ...r]).code).toBe(0);
      }

      const first = runCli(['models', 'promote', 'v1', ...r, ...pub]);
      expect(first.stderr).toBe('');
      expect(first.stdout).toContain('promoted v1 (was no production model)');
      expect(await redis.get(key)).toBe(path.join(registry, 'v1'));

      const second = runCli(['models', 'promote', 'v2', ...r, ...pub]);
      expect(second.stdout).toContain(
        'promoted v2 (was v1); ROC AUC 0.7400 vs 0.7000 (+0.0400) on aaaaaaaaaaaa-b1b6c910, stored',
      );
      expect(await redis.get(key)).toBe(path.join(registry, 'v2'));

      const refused = runCli(['models', 'promote', 'v3', ...r, ...pub]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        'leadscore: v3 scores worse than production v2: ROC AUC 0.7100 vs 0.7400 (-0.0300) on aaaaaaaaaaaa-b1b6c910; use --force to promote anyway\n',
      );
      expect(readFileSync(path.join(registry, 'production'), 'utf8')).toBe('v2\n');
      expect(await redis.get(key)).toBe(path.join(registry, 'v2'));

      const forced = runCli(['models', 'promote', 'v3', '--force', ...r, ...pub, '--json']);
      expect(forced.code).toBe(0);
      expect(JSON.parse(forced.stdout)).toMatchObject({ version: 'v3', previous: 'v2', entry: { forced: true } });
      expect(await redis.get(key)).toBe(path.join(registry, 'v3'));

      const back = runCli(['models', 'rollback', ...r, ...pub]);
      expect(back.stdout).toContain('rolled back from v3 to v2');
      expect(await redis.get(key)).toBe(path.join(registry, 'v2'));

      const list = JSON.parse(runCli(['models', 'list', ...r, '--json']).stdout) as {
        production: string;
        versions: { version: string; production: boolean }[];
      };
      expect(list.production).toBe('v2');
      expect(list.versions.filter((v) => v.production).map((v) => v.version)).toEqual(['v2']);
      const show = runCli(['models', 'show', 'production', ...r]);
      expect(show.stdout).toContain('version:    v2 (production)');
      expect(show.stdout).toContain('test AUC:   0.7400');
    },
    LONG,
  );

  it(
    'leaves production unchanged when Redis cannot be reached',
    async () => {
      const { dir } = tempDir();
      const registry = path.join(dir, 'models');
      runCli(['models', 'add', fakeArtifact(dir, 'a', 0.7), '--registry', registry]);
      runCli(['models', 'add', fakeArtifact(dir, 'b', 0.8), '--registry', registry]);
      expect(runCli(['models', 'promote', 'v1', '--registry', registry]).code).toBe(0);
      const down = `redis://127.0.0.1:${await freePort()}`;
      const failed = runCli(['models', 'promote', 'v2', '--registry', registry, '--redis', down, '--key', 'k']);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toMatch(
        /^leadscore: --redis: cannot publish v2 to redis:\/\/127\.0\.0\.1:\d+ k: .*; production unchanged\n$/,
      );
      expect(readFileSync(path.join(registry, 'production'), 'utf8')).toBe('v1\n');
      const half = runCli(['models', 'rollback', '--registry', registry, '--redis', down]);
      expect(half.stderr).toBe('leadscore: --redis and --key go together: give both or neither\n');
    },
    LONG,
  );

  it(
    'keeps a production model per dataset: list marks both, rollback asks which dataset (exit 2) and takes --dataset',
    () => {
      const { dir } = tempDir();
      const r = ['--registry', path.join(dir, 'models')];
      runCli(['models', 'add', fakeArtifact(dir, 'bank-a', 0.8, 'b'.repeat(64), 'bank'), ...r]);
      runCli(['models', 'add', fakeArtifact(dir, 'x-a', 0.6, 'c'.repeat(64), 'x-education'), ...r]);
      runCli(['models', 'add', fakeArtifact(dir, 'bank-b', 0.81, 'b'.repeat(64), 'bank'), ...r]);
      for (const v of ['v1', 'v2', 'v3']) expect(runCli(['models', 'promote', v, ...r]).code).toBe(0);
      const list = JSON.parse(runCli(['models', 'list', ...r, '--json']).stdout) as {
        productions: Record<string, string>;
        versions: { version: string; production: boolean }[];
      };
      expect(list.productions).toEqual({ bank: 'v3', 'x-education': 'v2' });
      expect(list.versions.filter((v) => v.production).map((v) => v.version)).toEqual(['v2', 'v3']);
      const ambiguous = runCli(['models', 'rollback', ...r]);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toMatch(
        /^leadscore: .* holds production models of 2 datasets \(bank, x-education\): give --dataset\n$/,
      );
      const back = runCli(['models', 'rollback', '--dataset', 'bank', ...r]);
      expect(back.stdout).toContain('rolled back from v3 to v1');
    },
    LONG,
  );
});
