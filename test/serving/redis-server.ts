import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { startLocalRedis, type LocalRedis, type LocalRedisOptions } from '../../pipelines/bench/local-redis.ts';

/** A private redis-server for this test file, on a free port, removed after the file's tests. */
export async function privateRedis(options: LocalRedisOptions = {}): Promise<LocalRedis> {
  const redis = await startLocalRedis(options);
  afterAll(() => redis.dispose());
  return redis;
}

/** A fresh queue (and state prefix) name no other test uses. */
export function freshName(label = 'q'): string {
  return `test-${label}-${randomBytes(6).toString('hex')}`;
}
