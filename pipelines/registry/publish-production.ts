import { InputError } from '../../features/errors.ts';
import type { SwitchHook } from './model-registry.ts';
import { publishPointer } from './publish-pointer.ts';

/** Where to publish the production pointer in Redis. */
export interface RedisTarget {
  url: string;
  key: string;
  /** The URL with any password hidden, and the key: for messages. */
  label: string;
}

/** Checks `--redis` and `--key` (both or neither) before anything changes. */
export function redisTarget(opts: { redis?: string; key?: string }): RedisTarget | null {
  if (opts.redis === undefined && opts.key === undefined) return null;
  if (opts.redis === undefined || opts.key === undefined) throw new InputError('--redis and --key go together: give both or neither');
  let label: string;
  try {
    const u = new URL(opts.redis);
    if (u.password) u.password = '***';
    label = `${u.toString()} ${opts.key}`;
  } catch {
    throw new InputError(`--redis: "${opts.redis}" is not a URL (redis://host:port)`);
  }
  return { url: opts.redis, key: opts.key, label };
}

/**
 * A registry hook that sets the Redis key to the new production directory before the file
 * pointer changes, so a Redis failure leaves both unchanged.
 */
export function publishHook(target: RedisTarget | null): SwitchHook | undefined {
  if (!target) return undefined;
  return async (version, dir) => {
    try {
      await publishPointer(target.url, target.key, dir);
    } catch (err) {
      throw new InputError(`--redis: cannot publish ${version} to ${target.label}: ${(err as Error).message}; production unchanged`);
    }
  };
}
