import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatasetConfig } from '../../../pipelines/config/load-config.ts';
import { ModelRegistry } from '../../../pipelines/registry/model-registry.ts';
import { runTrain } from '../../../pipelines/train/run-train.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { writeConfig, writeLeads } from '../lifecycle/drift-data.ts';

/** Spawned CLI runs and model fits: generous, since a loaded two-core machine is slow. */
const LONG = 300_000;

describe('leadscore models promote --data', () => {
  it(
    're-scores both models on the same labelled file and refuses the worse one',
    async () => {
      const { dir } = tempDir();
      const good = writeLeads(dir, 'good', 3000, 1);
      // The same leads with labels moved one row down: nothing left to learn.
      const lines = readFileSync(good, 'utf8').trim().split('\n');
      const labels = lines.slice(1).map((l) => l.slice(l.lastIndexOf(',') + 1));
      const noise = [
        lines[0],
        ...lines.slice(1).map((l, i) => `${l.slice(0, l.lastIndexOf(','))},${labels[(i + 1) % labels.length]}`),
      ];
      const noisy = path.join(dir, 'noisy.csv');
      writeFileSync(noisy, `${noise.join('\n')}\n`);
      const loaded = await loadDatasetConfig(writeConfig(dir, good));
      const registry = new ModelRegistry(path.join(dir, 'models'));
      for (const [name, data] of [
        ['v1', good],
        ['v2', noisy],
      ] as const) {
        const run = await runTrain(loaded, { data, out: path.join(dir, `art-${name}`), backend: 'cpu' });
        run.model.dispose();
        await registry.add(run.dir, name);
      }
      await registry.promote('v1');
      const holdout = writeLeads(dir, 'holdout', 2000, 9);
      const r = ['--registry', registry.dir];
      // Trained on different files: the stored AUCs are not comparable.
      expect(runCli(['models', 'promote', 'v2', ...r]).stderr).toMatch(
        /cannot compare v2 with production v1: .*different data/,
      );
      const refused = runCli(['models', 'promote', 'v2', ...r, '--data', holdout]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /^leadscore: v2 scores worse than production v1: ROC AUC 0\.[45]\d{3} vs 0\.[6-9]\d{3} \(-0\.\d{4}\) on holdout\.csv; use --force/,
      );
      expect((await registry.production()).version).toBe('v1');
    },
    LONG,
  );
});
