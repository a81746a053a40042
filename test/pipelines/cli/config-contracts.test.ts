import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();
const leads = tmp.write('leads.csv', 'lead_id,age,y\n1,30,yes\n2,41,no\n3,22,no\n');
const events = tmp.write('events.csv', 'lead_id,event_type,ts\n1,page_view,2024-01-01\n');
const config = (name: string, extra: string) =>
  tmp.write(
    name,
    `name: t\nleads: { path: ${leads} }\nidColumn: lead_id\nlabel: { column: y, positive: [yes] }\n${extra}`,
  );
const profile = (cfg: string) => runCli(['data', 'profile', '--config', cfg, '--json']);

describe('the dataset config refuses what it cannot mean, in one line with the path (exit 2)', () => {
  it.each([
    ['types', 'types: [page_view, page_view]', /events\.types\.1: "page_view" is listed twice/],
    ['windowsDays', 'types: [page_view]\n  windowsDays: [7, 30, 7]', /events\.windowsDays\.2: 7 is listed twice/],
    [
      'numericProperties',
      'types: [page_view]\n  numericProperties: [seconds, seconds]',
      /events\.numericProperties\.1: "seconds" is listed twice/,
    ],
  ])('a repeated %s', (_, body, message) => {
    const r = profile(config(`repeat-${_}.yaml`, `events:\n  path: ${events}\n  ${body}\n`));
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });

  it('a wrong type inside a union names the field and the type expected, not "Invalid input"', () => {
    const r = profile(config('union.yaml', 'asOf: { column: 3 }\n'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid config: asOf\.column: expected string, received number/);
    expect(r.stderr).not.toMatch(/Invalid input/);
  });
});
