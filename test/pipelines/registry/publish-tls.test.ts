import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRedis, type LocalRedis } from '../../helpers/local-redis.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { testCertificates } from '../../serving/tls-certificates.ts';
import { fakeArtifact } from './fake-artifact.ts';

/** Spawned CLI runs on a loaded two-core machine: generous. */
const LONG = 120_000;

describe('leadscore models: publishing to a Redis that asks for client certificates', () => {
  const certs = testCertificates();
  let server: LocalRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startLocalRedis({
      tls: {
        cert: certs.serverCert,
        key: certs.serverKey,
        ca: certs.ca,
        authClients: true,
        clientCert: certs.clientCert,
        clientKey: certs.clientKey,
      },
    });
    redis = new Redis(server.url, {
      maxRetriesPerRequest: 1,
      tls: { ca: certs.pem.ca, cert: certs.pem.clientCert, key: certs.pem.clientKey },
    });
  });
  afterAll(async () => {
    redis.disconnect();
    await server.dispose();
  });

  it(
    'promotes and rolls back with --redis-ca, --redis-cert and --redis-key; without a certificate production stays',
    async () => {
      const { dir } = tempDir();
      const registry = path.join(dir, 'models');
      const key = 'leadscore:test:tls-production';
      for (const [name, auc] of [
        ['a', 0.7],
        ['b', 0.74],
      ] as const)
        expect(runCli(['models', 'add', fakeArtifact(dir, name, auc), '--registry', registry]).code).toBe(0);
      const r = ['--registry', registry, '--redis', server.url, '--key', key];
      const tls = ['--redis-ca', certs.ca, '--redis-cert', certs.clientCert, '--redis-key', certs.clientKey];

      const first = runCli(['models', 'promote', 'v1', ...r, ...tls]);
      expect(first.stderr).toBe('');
      expect(first.stdout).toContain(`published to ${server.url} ${key}`);
      expect(await redis.get(key)).toBe(path.join(registry, 'v1'));

      // The CA alone: the server turns the client away and the switch does not happen.
      const refused = runCli(['models', 'promote', 'v2', ...r, '--redis-ca', certs.ca]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /^leadscore: --redis: cannot publish v2 to rediss:\/\/127\.0\.0\.1:\d+ leadscore:test:tls-production: .*certificate required.*; production unchanged\n$/,
      );
      expect(await redis.get(key)).toBe(path.join(registry, 'v1'));

      expect(runCli(['models', 'promote', 'v2', ...r, ...tls]).code).toBe(0);
      expect(await redis.get(key)).toBe(path.join(registry, 'v2'));
      const back = runCli(['models', 'rollback', ...r, ...tls]);
      expect(back.stdout).toContain('rolled back from v2 to v1');
      expect(await redis.get(key)).toBe(path.join(registry, 'v1'));
    },
    LONG,
  );

  it(
    'names the flag of a TLS file that is missing, not PEM, without its pair, or without a rediss:// --redis',
    () => {
      const { dir, write } = tempDir();
      const registry = path.join(dir, 'models');
      runCli(['models', 'add', fakeArtifact(dir, 'a', 0.7), '--registry', registry]);
      const promote = (...args: string[]) => runCli(['models', 'promote', 'v1', '--registry', registry, ...args]);
      const missing = path.join(dir, 'nope.pem');
      expect(promote('--redis', server.url, '--key', 'k', '--redis-ca', missing).stderr).toBe(
        `leadscore: --redis-ca: cannot read ${missing}: ENOENT\n`,
      );
      const text = write('ca.txt', 'not a certificate\n');
      expect(promote('--redis', server.url, '--key', 'k', '--redis-ca', text).stderr).toBe(
        `leadscore: --redis-ca: ${text} holds no PEM block (-----BEGIN ...)\n`,
      );
      expect(promote('--redis', server.url, '--key', 'k', '--redis-cert', certs.clientCert).stderr).toBe(
        'leadscore: --redis-cert: a client certificate and its key go together: give --redis-cert and --redis-key both\n',
      );
      expect(promote('--redis', 'redis://:secret@127.0.0.1:1', '--key', 'k', '--redis-ca', certs.ca).stderr).toBe(
        'leadscore: --redis-ca: a CA, certificate or key is for TLS, which needs a rediss:// URL (got redis://:***@127.0.0.1:1)\n',
      );
      expect(promote('--redis-ca', certs.ca).stderr).toBe('leadscore: --redis-ca: needs --redis (and --key)\n');
      expect(
        runCli([
          'retrain',
          '--config',
          path.join(dir, 'none.yaml'),
          '--redis-cert',
          certs.clientCert,
          '--redis-key',
          certs.clientKey,
        ]).stderr,
      ).toBe('leadscore: --redis-cert: needs --redis (and --key)\n');
      // None of these switched production.
      expect(JSON.parse(runCli(['models', 'list', '--registry', registry, '--json']).stdout).production).toBeNull();
    },
    LONG,
  );
});
