import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { syntheticFunnel } from './synthetic-funnel.ts';

/** Spawned CLI runs and model fits: generous, since a loaded two-core machine is slow. */
const LONG = 300_000;

interface Metrics {
  rows: number;
  model: { auc: number };
  rules: { auc: number } | null;
}
interface RetrainJson {
  challenger: { version: string; dir: string; trainRows: number; train: { from: string } };
  champion: { version: string } | null;
  heldOut: { rows: number; from: string };
  comparison: Metrics;
  championComparison: Metrics | null;
  winner: 'challenger' | 'champion';
  promotion: { version: string; previous: string | null } | null;
  decision: { promote: boolean; reasons: string[] };
  forcedOver: string[];
  report: string | null;
}

const production = (registry: string) => readFileSync(path.join(registry, 'production'), 'utf8').trim();

describe('leadscore retrain on closed deals (synthetic funnel)', () => {
  it(
    'judges champion, challenger and rules on the same newest leads and promotes only a winner, only when asked',
    () => {
      const { dir } = tempDir();
      const config = syntheticFunnel(dir, 6000, 4);
      const registry = path.join(dir, 'models');
      const base = ['retrain', '--config', config, '--registry', registry, '--backend', 'cpu', '--json'];

      const first = runCli([...base, '--promote']);
      expect(first.stderr).toBe('');
      const a = JSON.parse(first.stdout) as RetrainJson;
      expect(a.champion).toBeNull();
      expect(a.winner).toBe('challenger');
      // Without a champion, the challenger needs only to rank no worse than the rules (and beat chance).
      expect(a.decision.promote).toBe(a.comparison.model.auc >= a.comparison.rules!.auc);
      if (!a.decision.promote) {
        expect(a.promotion).toBeNull();
        expect(a.decision.reasons.join()).toMatch(/ranks worse than the rules/);
        const forced = JSON.parse(runCli([...base, '--promote', '--force']).stdout) as RetrainJson;
        expect(forced.forcedOver).toEqual(forced.decision.reasons);
        Object.assign(a, forced);
      }
      expect(a.promotion).toMatchObject({ version: a.challenger.version, previous: null });
      expect(production(registry)).toBe(a.challenger.version);
      // The newest 20 % are held out (1200 of 6000 leads, less those converted before their asOf).
      expect(a.comparison.rows).toBe(a.heldOut.rows);
      expect(a.comparison.rules).not.toBeNull();
      expect(a.report && existsSync(a.report)).toBe(true);
      expect(existsSync(path.join(a.challenger.dir, 'drift-reference.json'))).toBe(true);
      expect(JSON.parse(readFileSync(path.join(a.challenger.dir, 'retrain.json'), 'utf8'))).toMatchObject({
        champion: null,
        winner: 'challenger',
        auc: { challenger: a.comparison.model.auc },
      });

      // A challenger on recent leads only, without --promote: production does not move.
      const since = '2025-04-15';
      const second = runCli([...base, '--since', since]);
      expect(second.stderr).toBe('');
      const b = JSON.parse(second.stdout) as RetrainJson;
      expect(b.challenger.trainRows).toBeLessThan(a.challenger.trainRows);
      expect(b.challenger.train.from >= since).toBe(true);
      expect(b.champion).toEqual({ version: a.challenger.version });
      expect(b.championComparison!.rows).toBe(b.comparison.rows);
      expect(b.heldOut).toEqual(a.heldOut);
      // Same champion, same held-out leads: the champion scores as it did when it was the challenger.
      expect(b.championComparison!.model.auc).toBeCloseTo(a.comparison.model.auc, 10);
      expect(b.winner).toBe(b.comparison.model.auc > b.championComparison!.model.auc ? 'challenger' : 'champion');
      expect(b.promotion).toBeNull();
      expect(production(registry)).toBe(a.challenger.version);

      const text = runCli([
        'retrain',
        '--config',
        config,
        '--registry',
        registry,
        '--backend',
        'cpu',
        '--since',
        since,
        '--promote',
      ]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`champion ${a.challenger.version}`);
      expect(text.stdout).toMatch(/ROC AUC\s+│/);
      const promoted = /promoted (\S+) to production: beats/.exec(text.stdout);
      if (promoted) expect(production(registry)).toBe(promoted[1]);
      else {
        // Not promoted: the reasons are given with the figures, and the champion stays.
        expect(text.stdout).toMatch(/not promoted: the (challenger|champion) .*AUC/);
        expect(text.stdout).toContain(
          `${a.challenger.version} stays in production (--promote --force to promote anyway)`,
        );
        expect(production(registry)).toBe(a.challenger.version);
      }
    },
    LONG,
  );

  it(
    'names a bad --since',
    () => {
      const r = runCli(['retrain', '--config', 'x.yaml', '--since', 'last week']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('leadscore: --since: expected a date like 2026-01-31 (got "last week")\n');
    },
    LONG,
  );
});
