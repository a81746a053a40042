import { InputError } from '../features/errors.ts';
import { redactRedisUrl } from './redis-connection.ts';

/**
 * Redis refused the worker's credentials: a wrong password or user (`WRONGPASS`), or none
 * given to a server that wants one (`NOAUTH`). Retrying cannot help, so
 * the worker stops with this one line instead of reconnecting forever.
 */
export class RedisAuthError extends InputError {
  override name = 'RedisAuthError';
  constructor(url: string, reply: string) {
    super(
      `redis ${redactRedisUrl(url)}: authentication refused (${reply.split('\n')[0]!.slice(0, 200)}): check the user and password of --redis or $LEADSCORE_REDIS_URL`,
    );
  }
}

const AUTH_REPLY = /^(WRONGPASS|NOAUTH)\b|^ERR invalid (password|username-password)/;

/** Whether a Redis error is a refusal of the client's credentials (see RedisAuthError). */
export function isAuthRefusal(err: unknown): boolean {
  return err instanceof Error && AUTH_REPLY.test(err.message);
}
