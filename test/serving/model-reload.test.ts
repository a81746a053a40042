import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateRedis } from './redis-server.ts';
import { stubManifest, writeStubArtifact } from './stub-model.ts';
import { startHarness, type Harness } from './worker-harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const tmp = tempDir();
let h: Harness;
let url: string;
const lead = { leadId: 'R1', attributes: { x: 1 }, asOf: Date.UTC(2026, 0, 1) };

beforeAll(async () => {
  url = (await privateRedis()).url;
  h = await startHarness(url);
});
afterAll(() => h?.close());

describe('hot reload', () => {
  it('rejects a corrupt artifact and keeps scoring with the old model', async () => {
    writeFileSync(path.join(h.artifactDir, 'manifest.json'), '{"kind": "stub-lead-model", "version": ');
    expect(await h.worker.models.checkForUpdate()).toBe('rejected');
    const r = await h.client.score(lead, { store: false });
    expect(r.modelVersion).toBe('stub-1');
    expect(r.score).toBe(50);
    // the same broken files are not retried
    expect(await h.worker.models.checkForUpdate()).toBe('unchanged');
    const metrics = await h.worker.metrics.registry.getSingleMetricAsString('leadscore_model_reloads_total');
    expect(metrics).toMatch(/outcome="rejected"} 1/);
  });

  it('rejects an artifact with a missing manifest, or one that scores nonsense', async () => {
    rmSync(path.join(h.artifactDir, 'manifest.json'));
    expect(await h.worker.models.checkForUpdate()).toBe('rejected');
    // the loader refuses it
    writeFileSync(
      path.join(h.artifactDir, 'manifest.json'),
      JSON.stringify({ ...stubManifest({ version: 'broken' }), bias: 'high' }),
    );
    expect(await h.worker.models.checkForUpdate()).toBe('rejected');
    // the loader accepts it but it scores NaN: the smoke test catches it
    writeFileSync(
      path.join(h.artifactDir, 'manifest.json'),
      JSON.stringify({ ...stubManifest({ version: 'nan' }), weight: 'heavy' }),
    );
    expect(await h.worker.models.checkForUpdate()).toBe('rejected');
    expect((await h.client.score(lead, { store: false })).modelVersion).toBe('stub-1');
  });

  it('swaps in a good new artifact and disposes the old model', async () => {
    const old = h.worker.model as unknown as { disposed: boolean };
    writeStubArtifact(h.artifactDir, stubManifest({ version: 'stub-2', weight: 2 }));
    expect(await h.worker.models.checkForUpdate()).toBe('loaded');
    const r = await h.client.score(lead, { store: false });
    expect(r.modelVersion).toBe('stub-2');
    expect(r.score).toBe(88); // sigmoid(2)
    expect(old.disposed).toBe(true);
    const info = await h.worker.metrics.registry.getSingleMetricAsString('leadscore_model_info');
    expect(info).toContain('version="stub-2"} 1');
    expect(info).not.toContain('stub-1');
  });

  it('follows a pointer file and a Redis key', async () => {
    const v3 = writeStubArtifact(path.join(tmp.dir, 'v3'), stubManifest({ version: 'stub-3' }));
    const v4 = writeStubArtifact(path.join(tmp.dir, 'v4'), stubManifest({ version: 'stub-4' }));
    const pointer = tmp.write('current', 'v3\n');
    const p = await startHarness(url, { model: pointer, modelKey: 'test:model-key' });
    try {
      expect(p.worker.model.version).toBe('stub-3');
      writeFileSync(pointer, v4);
      expect(await p.worker.models.checkForUpdate()).toBe('loaded');
      expect(p.worker.model.version).toBe('stub-4');
      const { Redis } = await import('ioredis');
      const r = new Redis(url);
      await r.set('test:model-key', v3);
      expect(await p.worker.models.checkForUpdate()).toBe('loaded');
      expect(p.worker.model.version).toBe('stub-3');
      await r.set('test:model-key', path.join(tmp.dir, 'nowhere'));
      expect(await p.worker.models.checkForUpdate()).toBe('rejected');
      expect((await p.client.score(lead, { store: false })).modelVersion).toBe('stub-3');
      await r.del('test:model-key');
      await r.quit();
    } finally {
      await p.close();
    }
  });
});
