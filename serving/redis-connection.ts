import { Redis, type RedisOptions } from 'ioredis';

/** Default Redis URL when none is given. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

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
export function createRedisConnection(url: string = DEFAULT_REDIS_URL, role: 'worker' | 'producer' = 'worker', extra: RedisOptions = {}): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    enableReadyCheck: true,
    // Reconnect forever, backing off to at most 2 s between tries.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    // A failover or a restart that loaded the AOF reports READONLY/LOADING: reconnect.
    reconnectOnError: (err) => /READONLY|LOADING/.test(err.message),
    ...extra,
  };
  return new Redis(url, options);
}

/** The URL with any password replaced by `***`, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable redis url)';
  }
}
