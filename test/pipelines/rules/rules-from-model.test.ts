import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { niceEdge, scorecardFeature } from '../../../training/scorecard.ts';
import { runCliAsync } from '../../helpers/run-cli.ts';
import { writeSyntheticLeads } from '../../helpers/synthetic-leads.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();

interface Sheet {
  rules: number;
  tiers: { name: string; atLeast: number | null }[];
  judged: { aucModel: number; aucSheet: number; cost: number };
}

describe('leadscore rules from-model', () => {
  const config = writeSyntheticLeads(tmp.dir, { rows: 3000 });
  // Labels for a column and its values: the sheet's conditions use them, the rules keep raw names.
  writeFileSync(
    config,
    `${readFileSync(config, 'utf8')}labels:\n  title: { label: Job title, values: { Intern: an intern } }\n  visits: Website visits\n`,
  );

  for (const kind of ['logistic', 'gbdt'] as const) {
    it(`${kind}: writes a sheet that passes rules check and a CSV, and says what rounding cost`, async () => {
      const kindConfig = path.join(tmp.dir, `${kind}.yaml`);
      writeFileSync(kindConfig, readFileSync(config, 'utf8').replace('training:\n', `training:\n  model: ${kind}\n`));
      const model = path.join(tmp.dir, `model-${kind}`);
      const trained = await runCliAsync(['train', '--config', kindConfig, '--out', model]);
      expect(trained.code, trained.stderr).toBe(0);
      const out = path.join(tmp.dir, `sheet-${kind}.yaml`);
      const r = await runCliAsync(['rules', 'from-model', '--model', model, '--out', out, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const sheet = JSON.parse(r.stdout) as Sheet;
      expect(sheet.rules).toBeGreaterThan(2);
      expect(sheet.tiers.map((t) => t.name)).toEqual(['hot', 'warm', 'cold']);
      expect(sheet.judged.cost).toBeLessThan(0.05);
      expect(sheet.judged.aucSheet).toBeGreaterThan(0.6);

      const check = await runCliAsync(['rules', 'check', out, '--config', kindConfig, '--json']);
      expect(check.code, check.stderr).toBe(0);
      const rules = YAML.parse(readFileSync(out, 'utf8')) as {
        total: { min: number; max: number };
        rules: { column: string; points: number }[];
      };
      expect(rules.total).toEqual({ min: 0, max: 100 });
      for (const rule of rules.rules) expect(Number.isInteger(rule.points) && rule.points > 0).toBe(true);
      expect(new Set(rules.rules.map((x) => x.column))).toContain('title');

      const csv = readFileSync(out.replace(/\.yaml$/, '.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(csv[0]).toBe('rule,column,condition,points');
      expect(csv.length - 1).toBe(sheet.rules);
      expect(csv.join('\n')).toMatch(/Job title is/);
      expect(csv.join('\n')).toMatch(/Website visits/);
    });
  }

  it('prints the sheet and the AUC cost', async () => {
    const r = await runCliAsync([
      'rules',
      'from-model',
      '--model',
      path.join(tmp.dir, 'model-logistic'),
      '--out',
      path.join(tmp.dir, 'sheet2.yaml'),
      '--points',
      '50',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ROC AUC model 0\.\d{3}, binned 0\.\d{3}, points sheet 0\.\d{3}/);
    expect(r.stdout).toMatch(/Rounding and binning cost -?0\.\d{3} AUC against the model/);
    expect(r.stdout).toMatch(/Job title is/);
  });

  it('a bad --points is one line, exit 2', async () => {
    const r = await runCliAsync([
      'rules',
      'from-model',
      '--model',
      path.join(tmp.dir, 'model-logistic'),
      '--out',
      path.join(tmp.dir, 'x.yaml'),
      '--points',
      'lots',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--points/);
  });
});

describe('scorecard bins', () => {
  it('cuts a step function where it steps, at readable edges', async () => {
    const values = Array.from({ length: 1000 }, (_, i) => i / 10);
    const contributions = values.map((v) => (v < 30 ? -1 : v < 70 ? 0.5 : 2));
    const f = scorecardFeature({ column: 'x', kind: 'numeric', values, contributions }, 6);
    const ranges = f.bins.filter((b) => b.bin.kind === 'range');
    expect(ranges.length).toBeLessThanOrEqual(6);
    const edges = ranges.flatMap((b) => (b.bin.kind === 'range' && b.bin.below !== undefined ? [b.bin.below] : []));
    expect(edges.some((e) => e >= 28 && e <= 31)).toBe(true);
    expect(edges.some((e) => e >= 68 && e <= 71)).toBe(true);
    for (const e of edges) expect(String(e).replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(3);
    expect(ranges[0]!.effect).toBeCloseTo(-1, 1);
    expect(ranges[ranges.length - 1]!.effect).toBeCloseTo(2, 1);
  });

  it('categories: one bin per known value, another value, missing', async () => {
    const f = scorecardFeature({
      column: 'c',
      kind: 'categorical',
      values: ['a', 'b', 'z', null],
      contributions: [1, 2, 3, 4],
      vocabulary: ['a', 'b'],
    });
    expect(f.bins.map((b) => [b.bin.kind, b.effect])).toEqual([
      ['values', 1],
      ['values', 2],
      ['other', 3],
      ['missing', 4],
    ]);
  });

  it('edges have few digits', async () => {
    expect(niceEdge(29.9, 30)).toBe(30);
    expect(niceEdge(4.857, 4.963)).toBe(4.9);
    expect(niceEdge(0.12, 0.1234)).toBe(0.123);
  });
});

describe('event count bands', () => {
  it('become event rules whose capped pairs give each band its points', async () => {
    const { pointsSheet } = await import('../../../pipelines/rules/points-sheet.ts');
    const { compileRules } = await import('../../../models/rules/compile-rules.ts');
    const feature = {
      column: 'events.pricing_view.count',
      bins: [
        { bin: { kind: 'range' as const, below: 1 }, effect: 0, rows: 10 },
        { bin: { kind: 'range' as const, atLeast: 1, below: 3 }, effect: 1, rows: 10 },
        { bin: { kind: 'range' as const, atLeast: 3 }, effect: 3, rows: 10 },
      ],
    };
    const events = new Map([
      [
        'events.pricing_view.count',
        {
          kind: 'count' as const,
          types: ['pricing_view'],
          withinDays: 30,
          label: 'pricing_view events in the last 30 days',
        },
      ],
    ]);
    const sheet = pointsSheet([feature], { name: 's', total: 30, tierNames: ['all'], events });
    const engine = compileRules(sheet.rules);
    const at = Date.UTC(2026, 0, 31);
    const views = (k: number) =>
      Array.from({ length: k }, (_, i) => ({ leadId: 'l', type: 'pricing_view', at: at - (i + 1) * 86_400_000 }));
    // Band points: 0 events 0, 1-2 events 10, 3 or more 30; events older than 30 days do not count.
    expect([0, 1, 2, 3, 7].map((k) => engine.score({}, views(k), at).total)).toEqual([0, 10, 10, 30, 30]);
    expect(engine.score({}, [{ leadId: 'l', type: 'pricing_view', at: at - 40 * 86_400_000 }], at).total).toBe(0);
    expect(sheet.lines.map((l) => [l.condition, l.points])).toEqual([
      ['pricing_view events in the last 30 days: 1 or more', 10],
      ['pricing_view events in the last 30 days: 3 or more', 20],
    ]);
  });
});

describe('refitting bins to the model', () => {
  it('lets a bin carry the effect of a left-out attribute that moves with it', async () => {
    const { refitEffects } = await import('../../../training/scorecard-refit.ts');
    const a = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 'yes' : 'no'));
    // The model's log-odds: 1 for a = yes, plus 2 more from a left-out attribute that is true exactly then.
    const target = a.map((v) => (v === 'yes' ? 3 : 0));
    const feature = scorecardFeature({
      column: 'a',
      kind: 'categorical',
      values: a,
      contributions: a.map((v) => (v === 'yes' ? 1 : 0)),
      vocabulary: ['yes', 'no'],
    });
    const [refit] = refitEffects([feature], [a], target, 1e-6);
    const effect = (v: string) => refit!.bins.find((b) => b.bin.kind === 'values' && b.bin.values[0] === v)!.effect;
    expect(effect('yes') - effect('no')).toBeCloseTo(3, 3);
  });
});
