import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { writeSyntheticLeads } from '../../helpers/synthetic-leads.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();
const config = writeSyntheticLeads(tmp.dir);
const lastLine = (s: string) => s.trim().split('\n').at(-1)!;

describe('train, evaluate and score from the command line', () => {
  const modelDir = path.join(tmp.dir, 'model-a');
  let trainOut = '';

  it('train prints the model-vs-rules summary and, last, the artifact path', () => {
    const r = runCli(['train', '--config', config, '--out', modelDir]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    trainOut = r.stdout;
    expect(r.stdout).toMatch(/ROC AUC/);
    expect(r.stdout).toMatch(/The model ranks leads better than the rules|No clear difference/);
    expect(lastLine(r.stdout)).toBe(modelDir);
    const manifest = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8'));
    expect(manifest.dataset).toBe('synthetic-test');
    expect(manifest.seed).toBe(7);
    expect(manifest.tiers.names).toEqual(['hot', 'warm', 'cold']);
    expect(manifest.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(manifest.files)).toEqual(
      expect.arrayContaining(['feature-spec.json', 'model/scorer.json', 'calibrator.json', 'rules.yaml']),
    );
    expect(manifest.metrics.model.auc).toBeGreaterThan(0.7);
  });

  it('the same seed and data give the same metrics', () => {
    const other = path.join(tmp.dir, 'model-b');
    const r = runCli(['train', '--config', config, '--out', other]);
    expect(r.code).toBe(0);
    const a = JSON.parse(readFileSync(path.join(modelDir, 'manifest.json'), 'utf8')).metrics;
    const b = JSON.parse(readFileSync(path.join(other, 'manifest.json'), 'utf8')).metrics;
    expect(b).toEqual(a);
    expect(trainOut).toBeTruthy();
  });

  it('evaluate --json ends with one JSON object holding model, rules and tiers', () => {
    const r = runCli(['evaluate', '--model', modelDir, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(lastLine(r.stdout));
    expect(out.rowsUsed).toBe('test');
    expect(out.rows).toBe(600);
    for (const k of ['auc', 'prAuc', 'logLoss', 'brier', 'ece', 'liftTop10'])
      expect(typeof out.model[k]).toBe('number');
    for (const k of ['auc', 'prAuc', 'liftTop10']) expect(typeof out.rules[k]).toBe('number');
    expect(out.tiers.model.map((t: { tier: string }) => t.tier)).toEqual(['hot', 'warm', 'cold']);
    expect(out.model.auc).toBeGreaterThan(out.rules.auc - 0.05);
  });

  it('score writes probability, score, tier, rule score and tier, and three reasons in words', () => {
    const input = tmp.write(
      'new-leads.csv',
      'lead_id,title,visits,country,opted_in\nN1,VP Sales,14,US,yes\nN2,Intern,0,IN,no\n',
    );
    const output = path.join(tmp.dir, 'scores.jsonl');
    const r = runCli(['score', '--model', modelDir, '--input', input, '--output', output]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((x: { lead_id: string }) => x.lead_id)).toEqual(['N1', 'N2']);
    expect(rows[0].probability).toBeGreaterThan(rows[1].probability);
    expect(rows[0].score).toBe(Math.round(rows[0].probability * 100));
    expect(rows[0].rule_score).toBe(30);
    expect(rows[0].rule_tier).toBe('hot');
    expect(rows[1].rule_tier).toBe('cold');
    expect(rows[0].reason_1).toMatch(/^(title = VP Sales|visits = 14|opted_in = yes) \(\+/);
    expect([rows[1].reason_1, rows[1].reason_2, rows[1].reason_3].join(' ')).toMatch(/title = Intern \(-/);
  });

  it('a model directory with a missing or changed part is refused, naming the part', () => {
    const broken = path.join(tmp.dir, 'model-b');
    rmSync(path.join(broken, 'feature-spec.json'));
    let r = runCli(['evaluate', '--model', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model-b: missing feature-spec\.json/);
    const weights = path.join(modelDir, 'calibrator.json');
    const original = readFileSync(weights, 'utf8');
    writeFileSync(weights, original.replace(/\d/, '9'));
    r = runCli([
      'score',
      '--model',
      modelDir,
      '--input',
      path.join(tmp.dir, 'leads.csv'),
      '--output',
      path.join(tmp.dir, 'x.csv'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/calibrator\.json does not match its hash/);
    writeFileSync(weights, original);
  });

  it('refuses to train on too few positives, saying how many there are', () => {
    const small = tempDir();
    const cfg = writeSyntheticLeads(small.dir, { rows: 600, positivesCap: 40 });
    const r = runCli(['train', '--config', cfg, '--out', path.join(small.dir, 'm')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/40 positives/);
  });
});
