import { Redis } from 'ioredis';

/** TLS material (PEM text) of a `rediss://` connection beyond the system's trusted CAs: a private CA, a client certificate and its key. */
export interface PointerTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * Sets a Redis key to the production artifact's absolute directory, the value the serving
 * workers' `modelKey` option watches, so every worker picks up a promotion or rollback.
 */
export async function publishPointer(url: string, key: string, artifactDir: string, tls?: PointerTls): Promise<void> {
  // A one-shot CLI call: fail fast when Redis is down instead of retrying forever.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true, ...(tls ? { tls: { ...tls } } : {}) });
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
