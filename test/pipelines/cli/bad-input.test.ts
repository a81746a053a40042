import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();
const config = (name: string, body: string) => tmp.write(name, body);
const good = tmp.write(
  'good.csv',
  'lead_id,age,signup,y\r\n1,30,01-02-2024,yes\r\n2,41,15-03-2024,no\r\n3,,20-03-2024,no\r\n',
);
const base = (leads: string, extra = '') =>
  `name: t\nleads: { path: ${leads} }\nidColumn: lead_id\nlabel: { column: y, positive: [yes] }\ncolumns: { signup: { type: timestamp, format: DD-MM-YYYY } }\n${extra}`;

function profile(cfg: string, ...args: string[]) {
  return runCli(['data', 'profile', '--config', cfg, '--json', ...args]);
}

describe('bad input: one line naming the file, row or field, exit code 2', () => {
  it('reads a good file', () => {
    const r = profile(config('ok.yaml', base(good)));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toBe(3);
    expect(out.positiveRate).toBeCloseTo(1 / 3, 4);
  });

  it('a missing file', () => {
    const r = profile(config('missing.yaml', base(`${tmp.dir}/nope.csv`)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.csv: file not found/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown format', () => {
    const r = profile(config('fmt.yaml', base(tmp.write('leads.xlsx', 'x'))));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/leads\.xlsx: unknown data format "\.xlsx"/);
  });

  it('a missing label column', () => {
    const r = profile(config('nolabel.yaml', base(tmp.write('nolabel.csv', 'lead_id,age,signup\n1,2,01-01-2024\n'))));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nolabel\.csv: label column "y" not found/);
  });

  it('a missing id column', () => {
    const r = profile(
      config('noid.yaml', base(tmp.write('noid.csv', 'age,signup,y\n2,01-01-2024,yes\n3,01-01-2024,no\n'))),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/noid\.csv: id column "lead_id" not found/);
  });

  it('a label with one class', () => {
    const r = profile(
      config(
        'oneclass.yaml',
        base(tmp.write('oneclass.csv', 'lead_id,age,signup,y\n1,2,01-01-2024,no\n2,3,01-01-2024,no\n')),
      ),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/oneclass\.csv: label "y" has one class only: all 2 rows are negative/);
  });

  const ragged = tmp.write(
    'ragged.csv',
    'lead_id,age,signup,y\n1,30,01-02-2024,yes\n2,41\n3,22,01-02-2024,no\n4,5,01-02-2024,no,extra\n5,6,01-02-2024,no\n',
  );
  it('rows with the wrong number of fields, with row numbers', () => {
    const r = profile(config('ragged.yaml', base(ragged)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /ragged\.csv: 2 bad rows: row 2: Expected Number of Columns: 4 Found: 2; row 4: Expected Number of Columns: 4 Found: 5/,
    );
  });

  it('--skip-bad-rows skips them and says how many and which', () => {
    const r = profile(config('ragged2.yaml', base(ragged)), '--skip-bad-rows');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped 2 bad rows: row 2: .*; row 4: /);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toBe(3);
    expect(out.skipped.map((s: { row: number }) => s.row)).toEqual([2, 4]);
  });

  it('a date that does not parse, with row and column', () => {
    const bad = tmp.write('baddate.csv', 'lead_id,age,signup,y\n1,30,01-02-2024,yes\n2,41,31-02-2024,no\n');
    const r = profile(config('baddate.yaml', base(bad)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /baddate\.csv: 1 bad row: row 2: column "signup": cannot parse "31-02-2024" as a date DD-MM-YYYY/,
    );
  });

  it('a config with an unknown key or a wrong field type names its path', () => {
    let r = profile(config('unknown.yaml', `${base(good)}colour: blue\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown\.yaml: invalid config: unknown key "colour"/);
    r = profile(config('wrongtype.yaml', base(good).replace('positive: [yes]', 'positive: yes')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wrongtype\.yaml: invalid config: label/);
    r = profile(config('badcol.yaml', base(good, 'exclude: { nosuch: reason }\n')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/badcol\.yaml: exclude\.nosuch: no column "nosuch"/);
  });

  it('an unknown command or option exits 2', () => {
    expect(runCli(['data', 'profile', '--nope']).code).toBe(2);
  });
});
