import type { Command } from 'commander';
import { InputError } from '../../features/errors.ts';
import { publishProductionPointer, readRedisTlsFiles, redactRedisUrl, type RedisTarget } from '../../serving/redis.ts';
import type { SwitchHook } from './model-registry.ts';

/** Where to publish the production pointer in Redis (see serving/production-pointer.ts). */
export interface PointerTarget {
  redis: RedisTarget;
  key: string;
  /** The URL with any password hidden, and the key: for messages. */
  label: string;
}

/** The publishing flags of `models promote`, `models rollback` and `retrain`. */
export interface PublishOpts {
  redis?: string;
  key?: string;
  redisCa?: string;
  redisCert?: string;
  redisKey?: string;
}

/**
 * Adds `--redis`, `--key` and the TLS files of `--redis` to a command that switches the
 * production model (`when` prefixes the help of `--redis`, e.g. "with --promote: ").
 */
export function publishOptions(command: Command, when = ''): Command {
  return command
    .option('--redis <url>', `${when}also publish the production artifact path to this Redis (needs --key)`)
    .option('--key <key>', 'the Redis key serving workers watch (their --model-key)')
    .option(
      '--redis-ca <file>',
      "with a rediss:// --redis: PEM file of the CA that signed the server's certificate, when it is not one the system trusts",
    )
    .option(
      '--redis-cert <file>',
      'with a rediss:// --redis: PEM file of a client certificate, for a server that asks for one (with --redis-key)',
    )
    .option('--redis-key <file>', 'PEM file of the key of --redis-cert');
}

/** Checks `--redis` and `--key` (both or neither), and reads the TLS files, before anything changes. */
export function redisTarget(opts: PublishOpts): PointerTarget | null {
  const files = { ca: opts.redisCa, cert: opts.redisCert, key: opts.redisKey };
  if (opts.redis === undefined && opts.key === undefined) {
    const flag = (['ca', 'cert', 'key'] as const).find((k) => files[k] !== undefined);
    if (flag) throw new InputError(`--redis-${flag}: needs --redis (and --key)`);
    return null;
  }
  if (opts.redis === undefined || opts.key === undefined)
    throw new InputError('--redis and --key go together: give both or neither');
  try {
    new URL(opts.redis);
  } catch {
    throw new InputError(`--redis: "${opts.redis}" is not a URL (redis://host:port)`);
  }
  const tls = readRedisTlsFiles(files, { url: opts.redis });
  return {
    redis: { url: opts.redis, ...(tls ? { tls } : {}) },
    key: opts.key,
    label: `${redactRedisUrl(opts.redis)} ${opts.key}`,
  };
}

/**
 * A registry hook that sets the Redis key to the new production directory before the file
 * pointer changes, so a Redis failure leaves both unchanged.
 */
export function publishHook(target: PointerTarget | null): SwitchHook | undefined {
  if (!target) return undefined;
  return async (version, dir) => {
    try {
      await publishProductionPointer(target.redis, target.key, dir);
    } catch (err) {
      // One line: a TLS refusal's message from OpenSSL ends in a line break.
      const reason = (err as Error).message.replace(/\s*\n\s*/g, ' ').trim();
      throw new InputError(`--redis: cannot publish ${version} to ${target.label}: ${reason}; production unchanged`);
    }
  };
}
