import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const profile = (config: string) => {
  const r = runCli(['data', 'profile', '--config', config, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
const leak = (p: { warnings: { kind: string; column: string }[] }, column: string) =>
  p.warnings.some((w) => w.kind === 'leak' && w.column === column);

describe('data profile on the real data sets', () => {
  it('bank-marketing: 41188 rows, 11.27 % converted, duration profiled and marked excluded', () => {
    const p = profile('pipelines/configs/bank-marketing.yaml');
    expect(p.rows).toBe(41188);
    expect(p.positiveRate).toBe(0.1127);
    const job = p.columns.find((c: { name: string }) => c.name === 'job');
    expect(job.type).toBe('categorical');
    expect(job.top[0]).toEqual({ value: 'admin.', count: 10422 });
    expect(p.columns.find((c: { name: string }) => c.name === 'duration').excluded).toMatch(/leaks/);
  });

  it('x-education-leads: 9240 rows, 38.54 % converted; Tags flagged, also with its exclusion removed', () => {
    const p = profile('pipelines/configs/x-education-leads.yaml');
    expect(p.rows).toBe(9240);
    expect(p.positiveRate).toBe(0.3854);
    expect(leak(p, 'Tags')).toBe(true);
    expect(
      p.warnings.some((w: { kind: string; column: string }) => w.kind === 'identifier' && w.column === 'Lead Number'),
    ).toBe(true);
    expect(leak(p, 'TotalVisits')).toBe(false);

    const tmp = tempDir();
    const yaml = readFileSync(path.join(repoRoot, 'pipelines/configs/x-education-leads.yaml'), 'utf8')
      .replace(/^ {2}Tags:.*\n/m, '')
      .replace('../../../shared', path.join(repoRoot, '../shared'));
    const q = profile(tmp.write('x.yaml', yaml));
    expect(leak(q, 'Tags')).toBe(true);
    expect(q.columns.find((c: { name: string }) => c.name === 'Tags').excluded).toBeUndefined();
  });
});
