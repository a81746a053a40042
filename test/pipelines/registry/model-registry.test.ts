import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../features/errors.ts';
import { ModelRegistry } from '../../../pipelines/registry/model-registry.ts';
import { PromotionRefusedError } from '../../../pipelines/registry/promotion-refused-error.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { fakeArtifact } from './fake-artifact.ts';

const now = new Date('2026-02-01T10:00:00Z');

async function registryWith(aucs: number[], fingerprints: string[] = []): Promise<ModelRegistry> {
  const { dir } = tempDir();
  const registry = new ModelRegistry(path.join(dir, 'models'));
  for (const [i, auc] of aucs.entries())
    await registry.add(fakeArtifact(dir, `art${i}`, auc, fingerprints[i] ?? 'a'.repeat(64)));
  return registry;
}

describe('ModelRegistry', () => {
  it('numbers added versions and lists them in order', async () => {
    const registry = await registryWith([0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8]);
    const list = await registry.list();
    expect(list.map((v) => v.version)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11']);
    expect(list[10]!.testAuc).toBe(0.8);
    expect(await registry.nextVersion()).toBe('v12');
    expect(readdirSync(registry.dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('lists around broken versions and writes in progress instead of failing on them', async () => {
    const registry = await registryWith([0.7]);
    mkdirSync(path.join(registry.dir, 'broken'));
    writeFileSync(path.join(registry.dir, 'broken', 'manifest.json'), '{"format": "something-else"}');
    cpSync(path.join(registry.dir, 'v1'), path.join(registry.dir, 'v2.tmp-123-456'), { recursive: true });
    const { versions, unreadable } = await registry.inventory();
    expect(versions.map((v) => v.version)).toEqual(['v1']);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]!.version).toBe('broken');
    expect(unreadable[0]!.reason).toMatch(/broken.manifest\.json: not a model manifest: format/);
  });

  it("keeps one production model per dataset: promoting or rolling back one never meets another's champion", async () => {
    const { dir } = tempDir();
    const registry = new ModelRegistry(path.join(dir, 'models'));
    await registry.add(fakeArtifact(dir, 'bank1', 0.8, 'b'.repeat(64), 'bank-marketing'));
    await registry.add(fakeArtifact(dir, 'bank2', 0.82, 'b'.repeat(64), 'bank-marketing'));
    await registry.add(fakeArtifact(dir, 'xed1', 0.6, 'c'.repeat(64), 'x-education-leads'));
    await registry.promote('v1', { now });
    // A weaker model of another dataset is no challenger of the bank champion: it becomes its own dataset's first.
    const other = await registry.promote('v3', { now });
    expect(other.previous).toBeNull();
    expect(other.entry.comparison).toBeNull();
    await registry.promote('v2', { now });
    const read = (f: string) => readFileSync(path.join(registry.dir, f), 'utf8');
    expect([read('production.bank-marketing'), read('production.x-education-leads')]).toEqual(['v2\n', 'v3\n']);
    // The plain pointer stays with the first dataset promoted here.
    expect(read('production')).toBe('v2\n');
    expect((await registry.production('x-education-leads')).version).toBe('v3');
    expect((await registry.production('bank-marketing')).lineage).toEqual(['v1', 'v2']);
    expect((await registry.production('new-dataset')).version).toBeNull();
    await expect(registry.rollback({ now })).rejects.toThrow(
      /holds production models of 2 datasets \(.*bank-marketing.*\): give --dataset/,
    );
    const back = await registry.rollback({ now, dataset: 'bank-marketing' });
    expect(back).toMatchObject({ action: 'rollback', version: 'v1', previous: 'v2' });
    expect([read('production'), read('production.bank-marketing'), read('production.x-education-leads')]).toEqual([
      'v1\n',
      'v1\n',
      'v3\n',
    ]);
  });

  it('promotes, records the comparison, and writes the pointer the workers read', async () => {
    const registry = await registryWith([0.7, 0.75]);
    const first = await registry.promote('v1', { now });
    expect(first.entry).toEqual({
      action: 'promote',
      version: 'v1',
      previous: null,
      at: now.toISOString(),
      forced: false,
      comparison: null,
    });
    const second = await registry.promote('v2', { now });
    expect(second.entry.comparison).toEqual({
      basis: 'stored',
      candidateAuc: 0.75,
      championAuc: 0.7,
      data: 'aaaaaaaaaaaa-b1b6c910',
    });
    expect(readFileSync(path.join(registry.dir, 'production'), 'utf8')).toBe('v2\n');
    const record = await registry.production();
    expect(record.version).toBe('v2');
    expect(record.lineage).toEqual(['v1', 'v2']);
    expect(readdirSync(registry.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses a worse model and says by how much, unless forced', async () => {
    const registry = await registryWith([0.75, 0.72]);
    await registry.promote('v1');
    const refusal = await registry.promote('v2').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(PromotionRefusedError);
    expect((refusal as Error).message).toBe(
      'v2 scores worse than production v1: ROC AUC 0.7200 vs 0.7500 (-0.0300) on aaaaaaaaaaaa-b1b6c910; use --force to promote anyway',
    );
    expect((await registry.production()).version).toBe('v1');
    const forced = await registry.promote('v2', { force: true });
    expect(forced.entry.forced).toBe(true);
    expect(forced.overridden).toMatch(/-0\.0300/);
    expect((await registry.production()).version).toBe('v2');
  });

  it('refuses to compare test metrics from different data, but re-scoring on the same data decides', async () => {
    const registry = await registryWith([0.9, 0.8], ['a'.repeat(64), 'b'.repeat(64)]);
    await registry.promote('v1');
    await expect(registry.promote('v2')).rejects.toThrow(/different data \(bbbbbbbbbbbb-\w+ vs aaaaaaaaaaaa-/);
    const rescore = { data: 'holdout.csv', auc: async (v: { version: string }) => (v.version === 'v2' ? 0.81 : 0.79) };
    const result = await registry.promote('v2', { rescore });
    expect(result.entry.comparison).toEqual({
      basis: 'rescored',
      candidateAuc: 0.81,
      championAuc: 0.79,
      data: 'holdout.csv',
    });
  });

  it('rolls back along the lineage and keeps the whole history', async () => {
    const registry = await registryWith([0.7, 0.71, 0.72]);
    await registry.promote('v1');
    await registry.promote('v2');
    await registry.promote('v3');
    expect(await registry.rollback({ now })).toMatchObject({ action: 'rollback', version: 'v2', previous: 'v3' });
    expect((await registry.rollback()).version).toBe('v1');
    await expect(registry.rollback()).rejects.toThrow(/nothing to roll back to: v1 is the first production model/);
    const record = await registry.production();
    expect(record.history.map((h) => `${h.action}:${h.version}`)).toEqual([
      'promote:v1',
      'promote:v2',
      'promote:v3',
      'rollback:v2',
      'rollback:v1',
    ]);
    expect(readFileSync(path.join(registry.dir, 'production'), 'utf8')).toBe('v1\n');
  });

  it('changes nothing when the hook before the switch fails', async () => {
    const registry = await registryWith([0.7, 0.8]);
    await registry.promote('v1');
    const failing = async () => {
      throw new InputError('redis down');
    };
    await expect(registry.promote('v2', { beforeSwitch: failing })).rejects.toThrow('redis down');
    expect((await registry.production()).version).toBe('v1');
    expect(readFileSync(path.join(registry.dir, 'production'), 'utf8')).toBe('v1\n');
  });

  it('names unknown versions with the ones it has, and refuses re-promoting production', async () => {
    const registry = await registryWith([0.7]);
    await expect(registry.show('v9')).rejects.toThrow(/model version "v9" not found in .* \(versions: v1\)/);
    await expect(registry.show('../x')).rejects.toThrow(InputError);
    await registry.promote('v1');
    await expect(registry.promote('v1')).rejects.toThrow('model version "v1" is already in production');
    await expect(new ModelRegistry(path.join(registry.dir, 'none')).rollback()).rejects.toThrow(
      /nothing to roll back: no model was promoted/,
    );
  });
});
