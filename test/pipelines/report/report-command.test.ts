import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { smallCase } from './small-case.ts';

const tmp = tempDir('leadscore-report-');
const dataFile = tmp.write('report-data.json', JSON.stringify(smallCase()));

describe('leadscore report / compare', () => {
  it('report --report-data writes the HTML file and prints its path', () => {
    const out = path.join(tmp.dir, 'nested', 'report.html');
    const r = runCli(['report', '--report-data', dataFile, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(8);
  });

  it('compare --report-data prints the tables', () => {
    const r = runCli(['compare', '--report-data', dataFile]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Model v-test vs rules on 10 leads');
    expect(r.stdout).toContain('Rule tier \\ model tier');
  });

  it('names the file and the field of bad report data, exit code 2', () => {
    const bad = smallCase();
    bad.rows.modelProbability[3] = 7;
    const file = tmp.write('bad.json', JSON.stringify(bad));
    const r = runCli(['compare', '--report-data', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `leadscore: ${file}: invalid report data: rows.modelProbability.3: Too big: expected number to be <=1\n`,
    );
  });

  it('refuses a missing file, no source, and --data without --model', () => {
    const missing = path.join(tmp.dir, 'missing.json');
    expect(runCli(['compare', '--report-data', missing]).stderr).toBe(
      `leadscore: ${missing}: cannot read file (ENOENT)\n`,
    );
    const none = runCli(['compare']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('leadscore: options: give either --model DIR or --report-data FILE\n');
    const data = runCli(['compare', '--report-data', dataFile, '--data', 'x.csv']);
    expect(data.code).toBe(2);
    expect(data.stderr).toBe('leadscore: options: --data needs --model\n');
  });
});
