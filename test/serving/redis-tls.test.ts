import { describe, expect, it } from 'vitest';
import { LeadScoringClient } from '../../serving/lead-scoring-client.ts';
import { checkRedisTls, createClusterConnection } from '../../serving/redis-connection.ts';
import { startWorker } from '../../serving/start-worker.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { freshName, privateRedis } from './redis-server.ts';
import { realArtifact } from './real-artifact.ts';
import { loadStubModel } from './stub-model.ts';
import { testCertificates } from './tls-certificates.ts';
import { startHarness } from './worker-harness.ts';
import { startWorkerProcess, waitFor } from './worker-process.ts';

const certs = testCertificates();
const serverTls = { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca };

describe('Redis over TLS', () => {
  it('scores through a TLS-only Redis whose certificate a private CA signed', async () => {
    const redis = await privateRedis({ tls: serverTls });
    expect(redis.url).toMatch(/^rediss:\/\/127\.0\.0\.1:\d+$/);
    const h = await startHarness(redis.url, { redisTls: { ca: certs.pem.ca }, client: { tls: { ca: certs.pem.ca } } });
    try {
      const r = await h.client.score({ leadId: 'tls-1', attributes: {} });
      expect(r).toMatchObject({ leadId: 'tls-1', score: 50 });
      expect((await h.worker.state.read('tls-1')).tier).toBe(r.tier);
    } finally {
      await h.close();
    }
  });

  it('presents a client certificate to a server that asks for one (mutual TLS)', async () => {
    const redis = await privateRedis({
      tls: { ...serverTls, authClients: true, clientCert: certs.clientCert, clientKey: certs.clientKey },
    });
    const tls = { ca: certs.pem.ca, cert: certs.pem.clientCert, key: certs.pem.clientKey };
    const h = await startHarness(redis.url, { redisTls: tls, client: { tls } });
    try {
      expect((await h.client.score({ leadId: 'mtls-1', attributes: {} }, { store: false })).score).toBe(50);
    } finally {
      await h.close();
    }
    // Without a certificate of its own the client is turned away: its call fails instead of hanging.
    const bare = new LeadScoringClient({
      redisUrl: redis.url,
      tls: { ca: certs.pem.ca },
      queue: freshName('mtls'),
      timeoutMs: 3000,
    });
    try {
      await expect(bare.ready()).rejects.toThrow(`ready: Redis not reachable within 3000 ms (${redis.url})`);
      await expect(bare.score({ leadId: 'mtls-2', attributes: {} })).rejects.toThrow(
        `score: Redis not reachable within 3000 ms (${redis.url})`,
      );
    } finally {
      await bare.close();
    }
  });

  it('`leadscore serve --redis rediss://... --redis-ca FILE` serves over TLS', async () => {
    const redis = await privateRedis({ tls: serverTls });
    const queue = freshName('tls-serve');
    const w = await startWorkerProcess({
      model: await realArtifact(),
      redis: redis.url,
      redisCa: certs.ca,
      queue,
      statePrefix: `${queue}:state`,
    });
    const client = new LeadScoringClient({ redisUrl: redis.url, tls: { ca: certs.pem.ca }, queue });
    try {
      const r = await client.score({ leadId: 'tls-cli', attributes: { industry: 'software' } });
      expect(r.leadId).toBe('tls-cli');
      await waitFor(
        async () => ((await (await fetch(`http://127.0.0.1:${w.metricsPort}/health`)).json()) as { ok: boolean }).ok,
        'a healthy worker',
        10_000,
      );
    } finally {
      w.child.kill('SIGKILL');
      await client.close();
    }
  });

  it('refuses TLS files that do not fit, naming the flag, before connecting', async () => {
    const { write } = tempDir();
    const notPem = write('ca.txt', 'not a certificate');
    const serve = (o: Record<string, unknown>) =>
      startWorker({ model: '/nonexistent', redis: 'rediss://127.0.0.1:1', ...o }, loadStubModel);
    await expect(serve({ redisCa: '/nonexistent/ca.pem' })).rejects.toThrow(
      /^serve: --redis-ca: cannot read \/nonexistent\/ca\.pem: ENOENT$/,
    );
    await expect(serve({ redisCa: notPem })).rejects.toThrow(
      /^serve: --redis-ca: .*ca\.txt holds no PEM block \(-----BEGIN \.\.\.\)$/,
    );
    await expect(serve({ redisCert: certs.clientCert })).rejects.toThrow(
      /^serve: --redis-cert: a client certificate and its key go together: give --redis-cert and --redis-key both$/,
    );
    await expect(serve({ redis: 'redis://:pw@127.0.0.1:1', redisCa: certs.ca })).rejects.toThrow(
      /^serve: --redis-ca: a CA, certificate or key is for TLS, which needs a rediss:\/\/ URL \(got redis:\/\/:\*\*\*@127\.0\.0\.1:1\)$/,
    );
    expect(() => checkRedisTls({ url: 'rediss://a:1,redis://b:2', cluster: true, tls: { ca: certs.pem.ca } })).toThrow(
      /needs a rediss:\/\/ URL \(got redis:\/\/b:2\)$/,
    );
    expect(() => checkRedisTls({ url: 'rediss://a:1', tls: { cert: certs.pem.clientCert } })).toThrow(
      /a client certificate and its key go together/,
    );
    expect(() => checkRedisTls({ url: 'redis://a:1' })).not.toThrow();
    // A single server's password may hold a comma.
    expect(() => checkRedisTls({ url: 'rediss://:a,b@h:1', tls: { ca: certs.pem.ca } })).not.toThrow();
  });

  it('gives every node of a Cluster the CA and client certificate', () => {
    const cluster = createClusterConnection(
      'rediss://127.0.0.1:1,rediss://127.0.0.1:2',
      'producer',
      { lazyConnect: true },
      { ca: certs.pem.ca, cert: certs.pem.clientCert, key: certs.pem.clientKey },
    );
    try {
      expect(cluster.options.redisOptions?.tls).toEqual({
        ca: certs.pem.ca,
        cert: certs.pem.clientCert,
        key: certs.pem.clientKey,
      });
    } finally {
      cluster.disconnect();
    }
  });
});
