import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBacktest } from '../../pipelines/lifecycle/format-backtest.ts';
import type { Backtest } from '../../pipelines/lifecycle/run-backtest.ts';
import { aucInterval, chanceStatement } from '../../training/chance.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { writeSyntheticLeads } from '../helpers/synthetic-leads.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const tmp = tempDir();
const CHANCE =
  /^No better than chance on these leads: the model's ROC AUC is 0\.\d{3} and its 95 % interval, 0\.\d{3} to 0\.\d{3}, includes 0\.5/;

/** The synthetic leads with their labels shuffled: nothing left to learn. */
function shuffledLeads(): string {
  const dir = path.join(tmp.dir, 'shuffled');
  mkdirSync(dir);
  const config = writeSyntheticLeads(dir, { rows: 2000, seed: 11 });
  const file = path.join(dir, 'leads.csv');
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const labels = rows.map((r) => r.slice(r.lastIndexOf(',') + 1));
  let s = 12345;
  for (let i = labels.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  writeFileSync(
    file,
    `${[head, ...rows.map((r, i) => `${r.slice(0, r.lastIndexOf(',') + 1)}${labels[i]}`)].join('\n')}\n`,
  );
  return config;
}

describe('no better than chance', () => {
  it('the interval of a random score includes 0.5; of a good one, not', async () => {
    const labels = Array.from({ length: 2000 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    let s = 7;
    const noise = labels.map(() => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const random = aucInterval(labels, noise, { resamples: 300 });
    expect(random.low).toBeLessThan(0.5);
    expect(random.high).toBeGreaterThan(0.5);
    expect(chanceStatement(random)).toMatch(CHANCE);
    const good = aucInterval(
      labels,
      labels.map((y, i) => y + noise[i]!),
      { resamples: 300 },
    );
    expect(good.low).toBeGreaterThan(0.9);
    expect(chanceStatement(good)).toBeNull();
  });

  it('train, evaluate, compare and the report say it first on shuffled labels', async () => {
    const config = shuffledLeads();
    const model = path.join(tmp.dir, 'model');
    const train = await runCliAsync(['train', '--config', config, '--out', model]);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(CHANCE);
    const evaluate = await runCliAsync(['evaluate', '--model', model]);
    expect(evaluate.code).toBe(0);
    expect(evaluate.stdout).toMatch(CHANCE);
    expect(evaluate.stdout.match(/No better than chance/g)).toHaveLength(1);
    const compare = await runCliAsync(['compare', '--model', model]);
    expect(compare.code).toBe(0);
    expect(compare.stdout).toMatch(CHANCE);
    const html = readFileSync(path.join(model, 'report.html'), 'utf8');
    const at = html.indexOf('No better than chance on these leads');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(html.indexOf('<h1>'));
  });

  it('a model that ranks well does not get the statement', async () => {
    const dir = path.join(tmp.dir, 'real');
    mkdirSync(dir);
    const model = path.join(tmp.dir, 'good-model');
    const train = await runCliAsync(['train', '--config', writeSyntheticLeads(dir, { rows: 2000 }), '--out', model]);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).not.toMatch(/No better than chance/);
  });

  it('a backtest fold with AUC below 0.5 is flagged', async () => {
    const side = (auc: number) => ({ auc, liftTop10: 1, tiers: [] });
    const spread = { mean: 0.5, sd: 0.1, min: 0.4, max: 0.6 };
    const b = {
      scheme: 'rolling-origin',
      dataset: 'd',
      source: 's.csv',
      window: 'expanding',
      orderedBy: 'asOf',
      modelWins: 1,
      folds: [1, 2].map((fold) => ({
        fold,
        trainRows: 10,
        testRows: 10,
        positiveRate: 0.2,
        model: side(fold === 2 ? 0.43 : 0.6),
        rules: side(0.55),
      })),
      spread: { model: { auc: spread, liftTop10: spread }, rules: { auc: spread, liftTop10: spread } },
    } as unknown as Backtest;
    const text = formatBacktest(b);
    expect(text).toMatch(/0\.430 !/);
    expect(text).toMatch(/ranked worse than chance \(AUC below 0\.5\) in fold 2/);
    expect(text).not.toMatch(/0\.600 !/);
  });
});
