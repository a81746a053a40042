import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatasetConfig } from '../../../pipelines/config/load-config.ts';
import { driftReferenceFile, driftReferenceFiles } from '../../../pipelines/lifecycle/drift-reference-file.ts';
import { runTrain } from '../../../pipelines/train/run-train.ts';
import type { DriftReference, NumericReference } from '../../../training/drift/drift-reference.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writeConfig, writeLeads } from './drift-data.ts';

/** Spawned CLI runs and model fits: generous, since a loaded two-core machine is slow. */
const LONG = 300_000;

interface DriftJson {
  flagged: string[];
  referenceFrom: string;
  features: { name: string; psi: number; newCategories: { value: string }[] }[];
  score: { psi: number } | null;
}

describe('leadscore drift', () => {
  it(
    'flags a deliberately shifted copy and not an unshifted one, with the reference stored at train time',
    async () => {
      const { dir } = tempDir();
      const training = writeLeads(dir, 'train', 3000, 1);
      const loaded = await loadDatasetConfig(writeConfig(dir, training));
      const trained = await runTrain(loaded, {
        out: path.join(dir, 'model'),
        backend: 'cpu',
        extraFiles: driftReferenceFiles,
      });
      trained.model.dispose();
      expect(existsSync(path.join(trained.dir, driftReferenceFile))).toBe(true);

      const sameData = writeLeads(dir, 'same', 3000, 2);
      const same = runCli(['drift', '--model', trained.dir, '--data', sameData, '--json']);
      expect(same.stderr).toBe('');
      // Streamed in chunks of 7 leads: the same counts, so the same report.
      const chunked = runCli(['drift', '--model', trained.dir, '--data', sameData, '--json', '--chunk', '7']);
      expect(chunked.stdout).toBe(same.stdout);
      const calm = JSON.parse(same.stdout) as DriftJson;
      expect(calm.referenceFrom).toBe('artifact');
      expect(calm.flagged).toEqual([]);
      expect(Math.max(...calm.features.map((f) => f.psi))).toBeLessThan(0.1);
      expect(calm.score!.psi).toBeLessThan(0.1);

      const moved = runCli(['drift', '--model', trained.dir, '--data', writeLeads(dir, 'shifted', 3000, 2, 1)]);
      expect(moved.code).toBe(0);
      expect(moved.stdout).toMatch(/shifted beyond PSI 0\.2 \(!\): .*spend/);
      expect(moved.stdout).toMatch(/channel/);
      expect(moved.stdout).not.toMatch(/!.*\bplan\b/);
    },
    LONG,
  );

  it(
    "takes the score's reference from a seeded sample of a big training set, the columns' from every row",
    async () => {
      const { dir } = tempDir();
      const loaded = await loadDatasetConfig(writeConfig(dir, writeLeads(dir, 'train', 3000, 1)));
      const references: DriftReference[] = [];
      const read = (files: Record<string, Uint8Array>) =>
        JSON.parse(new TextDecoder().decode(files[driftReferenceFile])) as DriftReference;
      const trained = await runTrain(loaded, {
        out: path.join(dir, 'model'),
        backend: 'cpu',
        extraFiles: async (fitted, data) => {
          references.push(read(await driftReferenceFiles(fitted, data)));
          references.push(read(await driftReferenceFiles(fitted, data, 300)));
          references.push(read(await driftReferenceFiles(fitted, data, 300)));
          return {};
        },
      });
      trained.model.dispose();
      const [every, sampled, again] = references as [DriftReference, DriftReference, DriftReference];
      expect(every.rows).toBeGreaterThan(300);
      expect(sampled.rows).toBe(every.rows);
      expect(sampled.features).toEqual(every.features);
      expect(again).toEqual(sampled);
      const [a, b] = [every.score!, sampled.score!] as [NumericReference, NumericReference];
      expect(b.edges).not.toEqual(a.edges);
      // Deciles of 300 scores stay near those of every score.
      b.edges.forEach((edge, k) => expect(Math.abs(edge - a.edges[k]!)).toBeLessThan(0.05));
    },
    LONG,
  );

  it(
    'rebuilds the reference from the training file for an artifact without one, and calls out new categories',
    async () => {
      const { dir, write } = tempDir();
      const training = writeLeads(dir, 'train', 2000, 3);
      // Trained without extra files: an artifact written before drift references existed.
      const loaded = await loadDatasetConfig(writeConfig(dir, training));
      const trained = await runTrain(loaded, { out: path.join(dir, 'model'), backend: 'cpu' });
      trained.model.dispose();
      const model = trained.dir;
      expect(existsSync(path.join(model, driftReferenceFile))).toBe(false);
      const extra = write(
        'new.csv',
        'id,spend,visits,channel,plan,converted\nn1,100,3,web,enterprise,0\nn2,120,4,web,enterprise,1\n',
      );
      const result = runCli(['drift', '--model', model, '--data', extra, '--json']);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as DriftJson;
      expect(report.referenceFrom).toBe('training data');
      expect(report.features.find((f) => f.name === 'plan')!.newCategories).toEqual([
        { value: 'enterprise', count: 2 },
      ]);
      expect(report.flagged).toContain('plan');
    },
    LONG,
  );

  it(
    'names a bad threshold',
    () => {
      const r = runCli(['drift', '--model', 'nowhere', '--data', 'x.csv', '--threshold', 'lots']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^leadscore: --threshold: /);
    },
    LONG,
  );
});
