import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();

const goodRules = `
name: test points
fit: { max: 30 }
total: { min: 0 }
decay: { pointsLost: 5, everyDays: 10 }
tiers:
  - { name: SQL, atLeast: 40 }
  - { name: MQL, atLeast: 20 }
  - { name: cold }
rules:
  - { id: manager, column: title, pattern: 'manager|director', points: 20 }
  - { id: big-company, column: employees, range: { atLeast: 100 }, points: 15 }
  - { id: free-mail, column: email, pattern: '@(gmail|yahoo)\\.', points: -10 }
  - { id: pricing, event: page_view, where: { page: pricing }, points: 10, cap: 20 }
  - { id: unsubscribed, event: unsubscribe, points: -25 }
`;

describe('leadscore rules check', () => {
  it('accepts a good file and prints a summary (exit 0)', () => {
    const r = runCli(['rules', 'check', tmp.write('good.rules.yaml', goodRules)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/good\.rules\.yaml: ok/);
    expect(r.stdout).toMatch(/rules: 5 \(3 fit, 0 engagement on attributes, 2 on events; 2 negative\)/);
    expect(r.stdout).toMatch(/tiers: SQL >= 40, MQL >= 20, cold/);
  });

  it('--json prints one object', () => {
    const r = runCli(['rules', 'check', '--json', tmp.write('good2.rules.yaml', goodRules)]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: 'test points',
      rules: 5,
      eventRules: 2,
      eventTypes: ['page_view', 'unsubscribe'],
    });
  });

  it('names the rule and the field of a bad rule (exit 2, one line)', () => {
    const bad = goodRules.replace('points: 10, cap: 20', 'points: 10, cap: -20');
    const r = runCli(['rules', 'check', tmp.write('bad.rules.yaml', bad)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.rules\.yaml: invalid rules file: rule "pricing" \(rules\[3\]\): cap: /);
  });

  it('accepts a backtracking-prone pattern, which the linear-time matcher cannot hang on; refuses look-around (exit 2)', () => {
    expect(
      runCli(['rules', 'check', tmp.write('redos.rules.yaml', goodRules.replace("'manager|director'", "'(a+)+b'"))])
        .code,
    ).toBe(0);
    const r = runCli([
      'rules',
      'check',
      tmp.write('ahead.rules.yaml', goodRules.replace("'manager|director'", "'manager(?!ial)'")),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rule "manager" \(rules\[0\]\): pattern: look-ahead and look-behind/);
  });

  it('a missing file and broken YAML exit 2', () => {
    expect(runCli(['rules', 'check', path.join(tmp.dir, 'nope.yaml')])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/nope\.yaml: cannot read file/),
    });
    expect(runCli(['rules', 'check', tmp.write('broken.yaml', 'rules: [')]).code).toBe(2);
  });

  it.each(['bank-marketing', 'x-education-leads', 'synthetic-funnel'])('the example rules for %s are valid', (name) => {
    const r = runCli(['rules', 'check', path.join(repoRoot, `pipelines/configs/rules/${name}.rules.yaml`)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('config schema --rules prints the rules file schema', () => {
    const r = runCli(['config', 'schema', '--rules']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).required).toEqual(expect.arrayContaining(['name', 'rules', 'tiers']));
  });
});

describe('leadscore rules score', () => {
  const leads = tmp.write(
    'leads.csv',
    [
      'lead_id,title,employees,email,y',
      'a,Marketing Manager,500,ann@acme.com,yes',
      'b,Student,,bob@gmail.com,no',
      'c,Director,50,cy@corp.io,no',
    ].join('\n'),
  );
  const events = tmp.write(
    'events.csv',
    [
      'lead_id,event_type,ts,page',
      'a,page_view,2026-01-28T10:00:00Z,pricing',
      'a,page_view,2026-01-29T10:00:00Z,pricing',
      'a,page_view,2026-01-30T10:00:00Z,pricing',
      'a,page_view,2026-01-30T11:00:00Z,docs',
      'b,page_view,2026-01-02T10:00:00Z,pricing',
      'c,unsubscribe,2026-01-15T00:00:00Z,',
      'c,page_view,2026-02-15T00:00:00Z,pricing',
    ].join('\n'),
  );
  const adjustments = tmp.write('adjust.csv', 'lead_id,points,reason\nc,12,met at trade show\n');
  const rules = tmp.write('score.rules.yaml', goodRules);
  const config = tmp.write(
    'dataset.yaml',
    `name: t\nleads: { path: ${leads} }\nidColumn: lead_id\nlabel: { column: y, positive: [yes] }\nevents: { path: ${events}, types: [page_view, unsubscribe] }\nrules: ${rules}\n`,
  );

  it('scores leads with events and manual adjustments into CSV', () => {
    const out = path.join(tmp.dir, 'scores.csv');
    const r = runCli([
      'rules',
      'score',
      '--config',
      config,
      '--as-of',
      '2026-02-01',
      '--adjustments',
      adjustments,
      '--output',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/scored 3 leads .*SQL 1, MQL 0, cold 2/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('lead_id,fit,engagement,total,tier,fired');
    // a: manager 20 + big 15 = 35 capped at 30; 3 pricing views = 30 capped at 20; last event 2 days ago: no decay.
    expect(lines[1]).toBe('a,30,20,50,SQL,manager +20; big-company +15; cap:fit -5; pricing +20');
    // b: free mail -10; one pricing view 30 days ago: -15 decay (3 full periods) capped at its 10 points; total floored at 0.
    expect(lines[2]).toBe('b,-10,0,0,cold,free-mail -10; pricing +10; decay -10; cap:total +10');
    // c: director 20, unsubscribe -25 (negative points do not decay), the Feb 15 view is after asOf; +12 by hand.
    expect(lines[3]).toBe('c,20,-25,7,cold,manager +20; unsubscribed -25; manual: met at trade show +12');
  });

  it('writes JSON Lines and Parquet by extension', () => {
    const jsonl = path.join(tmp.dir, 'scores.jsonl');
    expect(runCli(['rules', 'score', '--config', config, '--as-of', '2026-02-01', '--output', jsonl]).code).toBe(0);
    const first = JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[0]!);
    expect(first).toEqual({
      lead_id: 'a',
      fit: 30,
      engagement: 20,
      total: 50,
      tier: 'SQL',
      fired: 'manager +20; big-company +15; cap:fit -5; pricing +20',
    });
    const parquet = path.join(tmp.dir, 'scores.parquet');
    expect(runCli(['rules', 'score', '--config', config, '--as-of', '2026-02-01', '--output', parquet]).code).toBe(0);
    expect(readFileSync(parquet).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('rules check --config tries the rules on the data: coverage and warnings', () => {
    const typo = tmp.write(
      'typo.rules.yaml',
      goodRules.replace(
        '{ id: big-company, column: employees,',
        '{ id: wrong, column: job, equals: Director, points: 1 }\n  - { id: big-company, column: employees,',
      ),
    );
    const r = runCli(['rules', 'check', typo, '--config', config, '--as-of', '2026-02-01', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.leads).toBe(3);
    expect(out.firing).toMatchObject({ manager: 2, 'big-company': 1, 'free-mail': 1, wrong: 0 });
    expect(out.warnings).toEqual([expect.stringMatching(/rule "wrong": column: "job" is not a column/)]);
    // a (converted) scores 50, b and c 0: a perfect ranking; nobody lands in MQL.
    expect(out.tierCounts).toEqual({ SQL: 1, MQL: 0, cold: 2 });
    expect(out.labelled).toEqual({ auc: 1, tierConversion: { SQL: 1, MQL: null, cold: 0 } });
    const strict = runCli(['rules', 'check', typo, '--config', config, '--as-of', '2026-02-01', '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/typo\.rules\.yaml: 1 warning \(--strict\): rule "wrong"/);
    expect(runCli(['rules', 'check', rules, '--config', config, '--as-of', '2026-02-01', '--strict']).code).toBe(0);
  });

  it('rules explain shows one lead line by line', () => {
    const r = runCli([
      'rules',
      'explain',
      '--config',
      config,
      '--lead',
      'c',
      '--as-of',
      '2026-02-01',
      '--adjustments',
      adjustments,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('lead c: cold, total +7 (fit +20, engagement -25, manual +12)');
    expect(r.stdout).toMatch(/ {2}unsubscribed +-25 {2}engagement/);
    const json = JSON.parse(
      runCli(['rules', 'explain', '--config', config, '--lead', 'b', '--as-of', '2026-02-01', '--json']).stdout,
    );
    expect(json).toMatchObject({ lead: 'b', total: 0, tier: 'cold' });
    expect(json.fired.map((f: { rule: string }) => f.rule)).toEqual(['free-mail', 'pricing', 'decay', 'cap:total']);
    expect(runCli(['rules', 'explain', '--config', config, '--lead', 'zz'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--lead: no lead "zz"/),
    });
  });

  it('bad input exits 2 naming the problem', () => {
    const noRules = tmp.write(
      'norules.yaml',
      `name: t\nleads: { path: ${leads} }\nidColumn: lead_id\nlabel: { column: y, positive: [yes] }\n`,
    );
    const out = path.join(tmp.dir, 'x.csv');
    expect(runCli(['rules', 'score', '--config', noRules, '--output', out])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/norules\.yaml: rules: no rules file/),
    });
    expect(runCli(['rules', 'score', '--config', config, '--as-of', 'soon', '--output', out])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--as-of: expected an ISO date/),
    });
    const badAdjust = tmp.write('bad-adjust.csv', 'lead_id,points,reason\na,lots,call\n');
    expect(runCli(['rules', 'score', '--config', config, '--adjustments', badAdjust, '--output', out])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/bad-adjust\.csv: row 1: points: expected a number/),
    });
  });
});
