import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RulesFile } from '../../../models/rules/rules-file.ts';
import { thresholdsForShares, withPoints } from '../../../pipelines/rules/tune-rules.ts';
import { runCliAsync } from '../../helpers/run-cli.ts';
import { writeSyntheticLeads } from '../../helpers/synthetic-leads.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();

describe('leadscore rules tune', () => {
  const config = writeSyntheticLeads(tmp.dir, { rows: 4000 });
  // Comments and flow style the tuned file must keep; `opted-in` the author under-rated.
  writeFileSync(
    path.join(tmp.dir, 'rules.yaml'),
    `# Our points, by hand.
name: test rules
total: { min: -50, max: 100 }
tiers:
  - { name: hot, atLeast: 30 }
  - { name: warm, atLeast: 15 }
  - { name: cold }
rules:
  # Who they are.
  - { id: senior, column: title, oneOf: [VP Sales, CTO], points: 20 }
  - { id: intern, column: title, equals: Intern, points: -10 }
  - { id: opted-in, column: opted_in, equals: 'yes', points: 1 }
  - id: engaged
    description: five visits or more
    column: visits
    range: { atLeast: 5 }
    points: 10
    score: engagement
`,
  );

  it('writes a tuned file that passes rules check, keeps comments, ranks better on held-out rows', async () => {
    const out = path.join(tmp.dir, 'tuned.yaml');
    const r = await runCliAsync(['rules', 'tune', '--config', config, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as {
      table: { id: string; oldPoints: number; newPoints: number; fires: number }[];
      heldOut: { figures: { scorer: string; auc: number }[] };
      tierShares: number[];
    };
    expect(result.table.map((t) => t.id)).toEqual(['senior', 'intern', 'opted-in', 'engaged']);
    for (const t of result.table) expect(Number.isInteger(t.newPoints)).toBe(true);
    // The under-rated rule gains weight relative to the others.
    const opted = result.table.find((t) => t.id === 'opted-in')!;
    expect(opted.newPoints).toBeGreaterThan(1);
    const auc = Object.fromEntries(result.heldOut.figures.map((f) => [f.scorer, f.auc]));
    expect(auc['tuned rules']).toBeGreaterThan(auc['original rules']!);
    expect(auc.model).toBeGreaterThan(0.6);

    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Points and tier thresholds tuned by `leadscore rules tune`/);
    expect(text).toContain('# Our points, by hand.');
    expect(text).toContain('# Who they are.');
    expect(text).toMatch(/- \{ id: senior, column: title, oneOf: \[ VP Sales, CTO \], points: \d+ \}/);
    const check = await runCliAsync(['rules', 'check', out, '--config', config, '--json']);
    expect(check.code).toBe(0);
    const summary = JSON.parse(check.stdout) as { tierCounts: Record<string, number>; leads: number };
    // Tier shares are kept (on all rows here, close to the training rows' shares).
    expect(summary.tierCounts.hot! / summary.leads).toBeCloseTo(result.tierShares[0]!, 1);
  });

  it('prints the table and the held-out comparison', async () => {
    const r = await runCliAsync(['rules', 'tune', '--config', config, '--out', path.join(tmp.dir, 'tuned2.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/old points .* new points .* fires .* converts when fired/);
    expect(r.stdout).toMatch(/original rules .*\n.*tuned rules .*\n.*model/);
  });

  it('a config without a rules file is one line, exit 2', async () => {
    const bare = tmp.write(
      'bare.yaml',
      `name: x\nleads: { path: leads.csv }\nidColumn: lead_id\nlabel: { column: converted, positive: [1] }\n`,
    );
    const r = await runCliAsync(['rules', 'tune', '--config', bare, '--out', path.join(tmp.dir, 'x.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no rules file to tune/);
  });
});

describe('tuning helpers', () => {
  it('an event rule keeps its cap in events when its points change', async () => {
    const rules = {
      name: 'x',
      tiers: [{ name: 'all' }],
      rules: [{ id: 'p', event: 'page_view', points: 10, cap: 30 }],
    } as RulesFile;
    const tuned = withPoints(rules, () => 4);
    expect(tuned.rules[0]).toMatchObject({ points: 4, cap: 12 });
    expect(rules.rules[0]).toMatchObject({ points: 10, cap: 30 });
  });

  it('thresholds keep the tier shares and decrease strictly', async () => {
    const totals = Array.from({ length: 100 }, (_, i) => i);
    expect(thresholdsForShares(totals, [0.1, 0.2, 0.7])).toEqual([90, 70]);
    const tied = [5, 5, 5, 5, 5, 5, 5, 5, 1, 0];
    const cuts = thresholdsForShares(tied, [0.1, 0.1, 0.8]);
    expect(cuts[0]!).toBeGreaterThan(cuts[1]!);
  });
});
