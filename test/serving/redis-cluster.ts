import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { LocalRedis } from '../helpers/local-redis.ts';
import { privateRedis } from './redis-server.ts';

const run = promisify(execFile);

/** The programs a private Redis Cluster needs that cannot be run here (none on CI, where .ci/run installs them). */
export const missingClusterTools: string[] = ['redis-server', 'redis-cli'].filter(
  (bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status !== 0,
);

/** A private Redis Cluster of masters without replicas. */
export interface LocalRedisCluster {
  nodes: LocalRedis[];
  /** The nodes' URLs, comma-separated: the seed list `--redis` takes with `--cluster`. */
  url: string;
}

/**
 * Starts `masters` private cluster-enabled redis-servers on free ports (each in a temp dir
 * of its own, holding its nodes.conf; requiring `password` when given), joins them with
 * `redis-cli --cluster create` and resolves once every node reports `cluster_state:ok`
 * with all slots served. The servers are registered with the test file's private servers,
 * so they are stopped and their directories removed after the file, however it ends.
 */
export async function privateRedisCluster(
  masters = 3,
  options: { password?: string } = {},
): Promise<LocalRedisCluster> {
  const { password } = options;
  const nodes = await Promise.all(
    Array.from({ length: masters }, () =>
      privateRedis({
        password,
        extraArgs: [
          '--cluster-enabled',
          'yes',
          '--cluster-node-timeout',
          '5000',
          ...(password ? ['--masterauth', password] : []),
        ],
      }),
    ),
  );
  // REDISCLI_AUTH rather than -a, which redis-cli warns about.
  const cli = (args: string[]) =>
    run('redis-cli', args, {
      timeout: 30_000,
      env: { ...process.env, ...(password ? { REDISCLI_AUTH: password } : {}) },
    });
  await cli([
    '--cluster',
    'create',
    ...nodes.map((n) => `127.0.0.1:${n.port}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  const deadline = Date.now() + 30_000;
  for (const node of nodes) {
    for (;;) {
      const { stdout } = await cli(['-p', String(node.port), 'cluster', 'info']);
      if (
        /cluster_state:ok/.test(stdout) &&
        /cluster_slots_ok:16384/.test(stdout) &&
        new RegExp(`cluster_known_nodes:${masters}\\b`).test(stdout)
      )
        break;
      if (Date.now() > deadline) throw new Error(`redis cluster node ${node.port} not ready within 30 s:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { nodes, url: nodes.map((n) => n.url).join(',') };
}
