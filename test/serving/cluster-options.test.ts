import { describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { startWorker } from '../../serving/start-worker.ts';
import {
  checkClusterPrefix,
  createClusterConnection,
  hasHashTag,
  parseClusterSeeds,
  redactRedisUrl,
} from '../../serving/redis-connection.ts';
import { loadStubModel } from './stub-model.ts';

describe('Redis Cluster options', () => {
  it('reads seed nodes from a comma-separated list, with user, password and TLS', () => {
    expect(
      parseClusterSeeds('redis://10.0.0.1:7000, rediss://app:p%40ss%2Cw@cache.example.com:6380/0,redis://h'),
    ).toEqual([
      { host: '10.0.0.1', port: 7000, tls: false },
      { host: 'cache.example.com', port: 6380, username: 'app', password: 'p@ss,w', tls: true },
      { host: 'h', port: 6379, tls: false },
    ]);
  });

  it('names the bad seed: not a URL, another scheme, a database other than 0, none at all', () => {
    expect(() => parseClusterSeeds('redis://a:1,nonsense')).toThrow(/^redis cluster: seed 2: unparsable URL/);
    expect(() => parseClusterSeeds('http://a:1', 'serve: --redis')).toThrow(
      /^serve: --redis: seed 1: expected a redis:\/\/ or rediss:\/\/ URL$/,
    );
    expect(() => parseClusterSeeds('redis://a:1/2')).toThrow(/seed 1: a Redis Cluster has only database 0 \(got 2\)/);
    expect(() => parseClusterSeeds(' , ')).toThrow(InputError);
  });

  it('opens a Cluster whose every node gets the password and TLS of the seeds', () => {
    const cluster = createClusterConnection('rediss://:s3cret@127.0.0.1:1,rediss://:s3cret@127.0.0.1:2', 'producer', {
      lazyConnect: true,
    });
    try {
      expect(cluster.isCluster).toBe(true);
      expect(cluster.options.redisOptions).toMatchObject({ password: 's3cret', tls: {}, maxRetriesPerRequest: 3 });
    } finally {
      cluster.disconnect();
    }
    const worker = createClusterConnection('redis://127.0.0.1:1', 'worker', { lazyConnect: true });
    expect(worker.options.redisOptions).toMatchObject({ maxRetriesPerRequest: null });
    expect(worker.options.redisOptions?.tls).toBeUndefined();
    worker.disconnect();
  });

  it('redacts the password of every URL of a list, and of one URL whose password holds a comma', () => {
    expect(redactRedisUrl('redis://:a@h1:1,rediss://u:b@h2:2')).toBe('redis://:***@h1:1,rediss://u:***@h2:2');
    expect(redactRedisUrl('redis://:se,cret@h1:1')).toBe('redis://:***@h1:1');
  });

  it('tells a hash tag as Redis Cluster does', () => {
    expect(['{leadscore}', 'bull{q}', '{a}{b}', 'x{y}z'].map(hasHashTag)).toEqual([true, true, true, true]);
    expect(['bull', '{}', '{}x}', 'a{b', 'a}b{'].map(hasHashTag)).toEqual([false, false, false, false, false]);
    expect(() => checkClusterPrefix('bull', { url: 'redis://h', cluster: false })).not.toThrow();
    expect(() => checkClusterPrefix('{bull}', { url: 'redis://h', cluster: true })).not.toThrow();
  });

  it('refuses serve options for a Cluster before connecting, naming the flag', async () => {
    const serve = (opts: Record<string, unknown>) =>
      startWorker({ model: '/nonexistent', redis: 'redis://127.0.0.1:1', cluster: true, ...opts }, loadStubModel);
    await expect(serve({})).rejects.toThrow(
      /^serve: --prefix "bull": on a Redis Cluster the BullMQ prefix needs a hash tag, e\.g\. "\{bull\}"/,
    );
    await expect(serve({ prefix: '{q}', statePrefix: 'state{x}' })).rejects.toThrow(
      /^serve: --state-prefix "state\{x\}": on a Redis Cluster keep it free of/,
    );
    await expect(serve({ prefix: '{q}', redis: 'redis://a:1,redis://b:1/3' })).rejects.toThrow(
      /^serve: --redis: seed 2: a Redis Cluster has only database 0/,
    );
  });
});
