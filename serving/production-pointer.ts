import type { RedisClient } from './redis-connection.ts';
import type { RedisTarget } from './redis-target.ts';

/**
 * The production pointer in Redis, the contract between the commands that switch the
 * production model (`leadscore models promote`, `models rollback` and `retrain --promote`
 * with `--redis` and `--key`) and the workers that serve it (`serve --model-key`): a string
 * key whose value is the absolute path of the production artifact's directory. Workers look
 * at it every reload interval and load the artifact it names when it changes.
 */

/**
 * Sets the production pointer `key` to `artifactDir` on one Redis server. A one-shot call
 * that fails fast, with the connection's own error, when Redis cannot be reached instead of
 * retrying forever. The Redis client is loaded only now: commands import this module for
 * their flags.
 */
export async function publishProductionPointer(target: RedisTarget, key: string, artifactDir: string): Promise<void> {
  const { createRedisConnection, redisTlsOptions } = await import('./redis-connection.ts');
  const redis = createRedisConnection(target.url, 'producer', {
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    lazyConnect: true,
    ...redisTlsOptions(target),
  });
  let lastError: Error | undefined;
  // Without a listener ioredis prints connection errors itself; keep the first for the message.
  redis.on('error', (err: Error) => (lastError ??= err));
  try {
    await redis.connect();
    await redis.set(key, artifactDir);
  } catch (err) {
    throw lastError ?? err;
  } finally {
    redis.disconnect();
  }
}

/** The artifact directory the production pointer `key` names, or null when it is not set. */
export async function readProductionPointer(redis: RedisClient, key: string): Promise<string | null> {
  const value = await redis.get(key);
  return value === null || value === '' ? null : value;
}
