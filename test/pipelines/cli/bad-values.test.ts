import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { writeSyntheticLeads } from '../../helpers/synthetic-leads.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();
const header = 'lead_id,age,y';
const leads = (name: string, rows: string[]) => tmp.write(name, `${[header, ...rows].join('\n')}\n`);
const config = (name: string, file: string, extra = '', label = 'positive: [yes]') =>
  tmp.write(name, `name: t\nleads: { path: ${file} }\nidColumn: lead_id\nlabel: { column: y, ${label} }\n${extra}`);
const profile = (cfg: string) => runCli(['data', 'profile', '--config', cfg, '--json']);
const oneLine = (stderr: string) => expect(stderr.trim().split('\n')).toHaveLength(1);

describe('values that would give a wrong score are row errors naming row and column (exit 2)', () => {
  it.each(['1e309', '-1e309', '1e300'])('%s in an inferred numeric column', (value) => {
    const r = profile(config(`big${value}.yaml`, leads(`big${value}.csv`, ['1,30,yes', `2,${value},no`, '3,22,no'])));
    expect(r.stderr).toMatch(
      new RegExp(
        `1 bad row: row 2: column "age": "${value}" is out of range \\(numbers must be finite and at most 1000000000000000 in magnitude\\)`,
      ),
    );
    oneLine(r.stderr);
    expect(r.code).toBe(2);
  });

  it('an impossible ISO date', () => {
    const r = profile(
      config(
        'feb30.yaml',
        leads('feb30.csv', ['1,2024-02-28,yes', '2,2024-02-30,no']),
        'columns: { age: timestamp }\n',
      ),
    );
    expect(r.stderr).toMatch(/1 bad row: row 2: column "age": cannot parse "2024-02-30" as an ISO 8601 date/);
    expect(r.code).toBe(2);
  });

  it('a declared numeric column reports text as row errors', () => {
    const r = profile(
      config(
        'declared.yaml',
        leads('declared.csv', ['1,30,yes', '2,NaN,no', '3,"1,5",no', '4,0x1F,no']),
        'columns: { age: numeric }\n',
      ),
    );
    expect(r.stderr).toMatch(
      /3 bad rows: row 2: column "age": cannot parse "NaN" as a number; row 3: column "age": cannot parse "1,5" as a number; row 4: column "age": cannot parse "0x1F"/,
    );
    expect(r.code).toBe(2);
  });

  it('an inferred numeric column keeps its type with a few stray cells, read as missing and reported', () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => `${i + 1},${i % 7 === 0 ? '' : 20 + (i % 40)},${i % 3 === 0 ? 'yes' : 'no'}`,
    );
    rows[10] = '11,NaN,no';
    rows[50] = '51,Infinity,no';
    const r = profile(config('stray.yaml', leads('stray.csv', rows)));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'leadscore: warning: column "age": 2 cells are not a number, read as missing: row 11 "NaN", row 51 "Infinity"\n',
    );
    const age = JSON.parse(r.stdout).columns.find((c: { name: string }) => c.name === 'age');
    expect(age.type).toBe('numeric');
  });
});

describe('label values: never a third class turned into negatives', () => {
  it.each([
    ['yes/no', ['1,1,yes', '2,2,no'], 'positive: [yes]'],
    ['1/0', ['1,1,1', '2,2,0'], 'positive: [1]'],
    ['TRUE/FALSE', ['1,1,TRUE', '2,2,FALSE'], 'positive: [true]'],
  ])('binary labels keep working: %s', (name, rows, label) => {
    const r = profile(
      config(`bin${name.replace('/', '')}.yaml`, leads(`bin${name.replace('/', '')}.csv`, rows), '', label),
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).positiveRate).toBe(0.5);
  });

  it('more than two distinct values are refused, listing them', () => {
    const r = profile(
      config('three.yaml', leads('three.csv', ['1,1,1', '2,2,0', '3,3,2', '4,4,0']), '', 'positive: [1]'),
    );
    expect(r.stderr).toMatch(
      /three\.csv: label "y" has 3 distinct values \("1", "0", "2"\), positive: 1; give the values meaning not converted as label\.negative/,
    );
    oneLine(r.stderr);
    expect(r.code).toBe(2);
  });

  it('with negative: values, one in neither list is a row error', () => {
    const file = leads('neg.csv', ['1,1,won', '2,2,lost', '3,3,open', '4,4,Lost ']);
    const r = profile(config('neg.yaml', file, '', 'positive: [won], negative: [lost]'));
    expect(r.stderr).toMatch(
      /neg\.csv: 1 bad row: row 3: label "y": "open" is neither positive \(won\) nor negative \(lost\)/,
    );
    expect(r.code).toBe(2);
    const skipped = runCli([
      'data',
      'profile',
      '--config',
      config('neg2.yaml', file, '', 'positive: [won], negative: [lost]'),
      '--json',
      '--skip-bad-rows',
    ]);
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout).rows).toBe(3);
  });

  it('a value both positive and negative is refused by the config', () => {
    const r = profile(config('both.yaml', leads('both.csv', ['1,1,yes']), '', 'positive: [yes], negative: [no, YES]'));
    expect(r.stderr).toMatch(/both\.yaml: invalid config: label\.negative\.1: "YES" is also a positive value/);
    expect(r.code).toBe(2);
  });

  it('the one-class error lists the values it saw', () => {
    const r = profile(config('one.yaml', leads('one.csv', ['1,1,No', '2,2,no']), '', 'positive: [1]'));
    expect(r.stderr).toMatch(/one\.csv: label "y" has one class only: all 2 rows are negative \(values seen: "No"\)/);
    expect(r.code).toBe(2);
  });
});

describe('a file with no rows', () => {
  let model: string;
  let cfg: string;
  beforeAll(() => {
    cfg = writeSyntheticLeads(tmp.dir, { rows: 400 });
    model = path.join(tmp.dir, 'model');
    const r = runCli(['train', '--config', cfg, '--out', model]);
    if (r.code !== 0) throw new Error(r.stderr);
  });
  const empty = tmp.write('empty.csv', '');
  const headerOnly = tmp.write('header.csv', 'lead_id,title,visits,country,opted_in,converted\n');

  it.each([
    ['empty', empty],
    ['header-only', headerOnly],
  ])('score: a %s file scores 0 leads and writes the header', (name, input) => {
    const out = path.join(tmp.dir, `scored-${name}.csv`);
    const r = runCli(['score', '--model', model, '--input', input, '--output', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^scored 0 leads/);
    expect(readFileSync(out, 'utf8')).toBe(
      'lead_id,probability,score,tier,rule_score,rule_tier,reason_1,reason_2,reason_3\n',
    );
  });

  it.each([
    ['empty', empty, 'the file is empty'],
    ['header-only', headerOnly, 'a header only'],
  ])('train: a %s file says "no rows" in one line', (name, data, why) => {
    const r = runCli(['train', '--config', cfg, '--data', data, '--out', path.join(tmp.dir, `m-${name}`)]);
    expect(r.stderr).toBe(`leadscore: ${data}: no rows (${why})\n`);
    expect(r.code).toBe(2);
  });
});
