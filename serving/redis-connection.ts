import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { InputError } from '../features/errors.ts';
import { checkRedisTls, DEFAULT_REDIS_URL, redactRedisUrl, type RedisTarget, type RedisTls } from './redis-target.ts';

// How to reach Redis is described in redis-target.ts, which loads no Redis client; these are
// re-exported for the modules that import them from here.
export { checkRedisTls, DEFAULT_REDIS_URL, redactRedisUrl, type RedisTarget, type RedisTls };

/** A connection to one Redis server or to a Redis Cluster; BullMQ takes either. */
export type RedisClient = Redis | Cluster;

/** The ioredis `tls` options of `target`, checked (see checkRedisTls); empty without TLS material. */
export function redisTlsOptions(target: RedisTarget): { tls?: RedisTls } {
  checkRedisTls(target);
  const t = target.tls;
  return t && (t.ca !== undefined || t.cert !== undefined) ? { tls: { ...t } } : {};
}

type Role = 'worker' | 'producer';

/** Reconnect forever, backing off to at most 2 s between tries. */
const backoff = (times: number): number => Math.min(50 * 2 ** Math.min(times, 6), 2000);

/** Per-node options of either kind of connection (see `createRedisConnection`). */
function nodeOptions(role: Role): RedisOptions {
  return {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    enableReadyCheck: true,
    retryStrategy: backoff,
    // A failover or a restart that loaded the AOF reports READONLY/LOADING: reconnect.
    reconnectOnError: (err) => /READONLY|LOADING/.test(err.message),
  };
}

/**
 * Opens an ioredis connection from a URL: `redis://[user:password@]host:port[/db]`, or
 * `rediss://...` for TLS (ioredis turns TLS on for that scheme).
 *
 * `role` picks the retry behaviour: `worker` connections (BullMQ workers, queue events,
 * online state) wait through a Redis restart (`maxRetriesPerRequest: null`, as BullMQ
 * requires for workers); `producer` connections give up on a command after a few
 * retries, so a calling service gets an error instead of hanging while Redis is down.
 * Either way the client reconnects on its own, with a capped backoff.
 */
export function createRedisConnection(
  url: string = DEFAULT_REDIS_URL,
  role: Role = 'worker',
  extra: RedisOptions = {},
): Redis {
  return new Redis(url, { ...nodeOptions(role), ...extra });
}

/**
 * Opens an ioredis `Cluster` from seed node URLs (a comma-separated list; see RedisTarget).
 * User, password and TLS (`rediss://`) of the first seed apply to every node, the ones
 * found through the cluster included. `role` as in `createRedisConnection`; `extra` may
 * turn on auto-pipelining, which on a Cluster batches the commands per node, or delay
 * connecting to the first command.
 */
export function createClusterConnection(
  urls: string,
  role: Role = 'worker',
  extra: Pick<ClusterOptions, 'enableAutoPipelining' | 'lazyConnect'> = {},
  /** TLS material for every node (see RedisTls); the seeds must be rediss:// URLs. */
  tlsMaterial?: RedisTls,
): Cluster {
  const seeds = parseClusterSeeds(urls);
  const material = redisTlsOptions({ url: urls, cluster: true, tls: tlsMaterial }).tls ?? {};
  // Only user and password are left once host, port and tls are taken out.
  const { host: _host, port: _port, tls, ...auth } = seeds[0]!;
  return new Cluster(
    seeds.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: { ...nodeOptions(role), ...auth, ...(tls ? { tls: material } : {}) },
      clusterRetryStrategy: backoff,
      enableReadyCheck: true,
      // With TLS, keep the nodes' host names as given so certificates are checked against them.
      ...(tls
        ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) }
        : {}),
      ...extra,
    },
  );
}

/**
 * Opens a connection to `target`: a single server, or a Redis Cluster through its seed
 * nodes, with its TLS material if any (an InputError when it does not fit the URL).
 */
export function connectRedis(
  target: RedisTarget,
  role: Role = 'worker',
  extra: Pick<RedisOptions, 'enableAutoPipelining'> = {},
): RedisClient {
  return target.cluster
    ? createClusterConnection(target.url, role, extra, target.tls)
    : createRedisConnection(target.url, role, { ...extra, ...redisTlsOptions(target) });
}

/** A seed node of a Redis Cluster, from its URL. */
export interface ClusterSeed {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/** Parses a comma-separated list of `redis://` or `rediss://` URLs; an InputError names `field` and the bad one. */
export function parseClusterSeeds(urls: string, field = 'redis cluster'): ClusterSeed[] {
  const list = urls
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (list.length === 0) throw new InputError(`${field}: no seed node URL given`);
  return list.map((url, i) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new InputError(`${field}: seed ${i + 1}: unparsable URL ${redactRedisUrl(url)}`);
    }
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
      throw new InputError(`${field}: seed ${i + 1}: expected a redis:// or rediss:// URL`);
    if (u.pathname !== '' && u.pathname !== '/' && u.pathname !== '/0')
      throw new InputError(`${field}: seed ${i + 1}: a Redis Cluster has only database 0 (got ${u.pathname.slice(1)})`);
    return {
      host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
      port: u.port === '' ? 6379 : Number(u.port),
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      tls: u.protocol === 'rediss:',
    };
  });
}

/** Whether a key part carries a Redis Cluster hash tag: a `{` with a non-empty text before the next `}`. */
export function hasHashTag(s: string): boolean {
  const open = s.indexOf('{');
  return open >= 0 && s.indexOf('}', open + 1) > open + 1;
}

/**
 * Where a queue's keys live, from the Redis fields of a client's, batch queue's or worker's
 * options: the target (default URL, not a Cluster) and the BullMQ prefix (default `bull`),
 * refused on a Cluster without a hash tag.
 */
export function queueLocation(options: { redisUrl?: string; cluster?: boolean; tls?: RedisTls; prefix?: string }): {
  target: RedisTarget;
  prefix: string;
} {
  const target: RedisTarget = {
    url: options.redisUrl ?? DEFAULT_REDIS_URL,
    cluster: options.cluster ?? false,
    tls: options.tls,
  };
  const prefix = options.prefix ?? 'bull';
  checkClusterPrefix(prefix, target);
  return { target, prefix };
}

/**
 * Refuses a BullMQ prefix without a hash tag on a Redis Cluster: every key of a queue
 * must be in one slot, as BullMQ's scripts touch many of them at once.
 */
export function checkClusterPrefix(prefix: string, target: RedisTarget, field = 'prefix'): void {
  if (target.cluster && !hasHashTag(prefix)) {
    throw new InputError(
      `${field} "${prefix}": on a Redis Cluster the BullMQ prefix needs a hash tag, e.g. "{${prefix}}", so all keys of a queue share one slot`,
    );
  }
}
