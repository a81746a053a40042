import { describe, expect, it } from 'vitest';
import { publishProductionPointer, readProductionPointer } from '../../serving/redis.ts';
import { createRedisConnection } from '../../serving/redis-connection.ts';
import { freshName, privateRedis } from './redis-server.ts';

describe('production pointer', () => {
  it('is read as it was published, and reads null when unset', async () => {
    const server = await privateRedis();
    const key = freshName('pointer');
    const redis = createRedisConnection(server.url, 'producer');
    try {
      expect(await readProductionPointer(redis, key)).toBeNull();
      await publishProductionPointer({ url: server.url }, key, '/models/v7');
      expect(await readProductionPointer(redis, key)).toBe('/models/v7');
    } finally {
      redis.disconnect();
    }
  });

  it('fails fast with the connection error when Redis cannot be reached', async () => {
    await expect(publishProductionPointer({ url: 'redis://127.0.0.1:1' }, 'k', '/models/v1')).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
