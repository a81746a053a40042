import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { startLocalRedis, type LocalRedis, type LocalRedisOptions } from '../helpers/local-redis.ts';

/** The servers this test file started; registered here, while the file is collected, so the hook always runs. */
const started = new Set<LocalRedis>();
afterAll(async () => {
  await Promise.all([...started].map((r) => r.dispose()));
  started.clear();
});

/**
 * A private redis-server for this test file, on a free port, removed after the file's
 * tests (callable from a hook or from inside a test).
 */
export async function privateRedis(options: LocalRedisOptions = {}): Promise<LocalRedis> {
  const redis = await startLocalRedis(options);
  started.add(redis);
  return redis;
}

/** A fresh queue (and state prefix) name no other test uses. */
export function freshName(label = 'q'): string {
  return `test-${label}-${randomBytes(6).toString('hex')}`;
}
