import { describe, expect, it } from 'vitest';
import { columnCells, numberValues } from '../../../features/frame.ts';
import { loadDatasetConfig } from '../../../pipelines/config/load-config.ts';
import { loadLeads } from '../../../pipelines/io/load-leads.ts';
import { writeTable } from '../../../pipelines/io/write-table.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();
const configFor = async (leads: string, extra = '') =>
  loadDatasetConfig(
    tmp.write(
      `c${Math.random().toString(36).slice(2)}.yaml`,
      `name: t\nleads: { path: ${leads} }\nidColumn: id\nlabel: { column: won, positive: [yes, '1', 'true'] }\n${extra}`,
    ),
  );

const columns = ['id', 'title', 'visits', 'opted', 'won'];
const rows = [
  ['a', 'VP Sales', 3, true, 'yes'],
  ['b', 'Intern', null, false, 'no'],
  ['c', 'CTO, "Tech"', 12, null, 'no'],
];

describe('loading each format to the same frame', () => {
  it.each(['leads.csv', 'leads.tsv', 'leads.parquet', 'leads.jsonl'])('%s', async (name) => {
    const file = tmp.dir + '/' + name;
    await writeTable(file, columns, rows);
    const { frame } = await loadLeads(await configFor(file));
    expect(frame.ids).toEqual(['a', 'b', 'c']);
    expect(Array.from(frame.label!)).toEqual([1, 0, 0]);
    const byName = Object.fromEntries(frame.columns.map((c) => [c.name, c]));
    expect(byName.title).toEqual({ name: 'title', type: 'categorical', values: ['VP Sales', 'Intern', 'CTO, "Tech"'] });
    expect(byName.visits).toEqual({ name: 'visits', type: 'numeric', values: numberValues([3, null, 12]) });
    expect(byName.opted).toEqual({ name: 'opted', type: 'boolean', values: [true, false, null] });
  });
});

describe('CSV quirks', () => {
  it('semicolons, quoted values, CRLF, a trailing empty unnamed column, yes/no and 0/1 booleans, extra missing tokens', async () => {
    const file = tmp.write(
      'quirks.csv',
      '"id";"country";"score";"flag";"won";\r\n"1";"Select";"1.5";"Yes";"1";\r\n"2";"India";"2";"No";"0";\r\n"3";"a;b";"";"yes";"0";\r\n',
    );
    const { frame } = await loadLeads(await configFor(file, 'missingValues: [Select]\ncolumns: { flag: boolean }\n'));
    expect(frame.columns.map((c) => c.name)).toEqual(['country', 'score', 'flag']);
    expect(frame.columns[0]!.values).toEqual([null, 'India', 'a;b']);
    expect(columnCells(frame.columns[1]!)).toEqual([1.5, 2, null]);
    expect(frame.columns[2]!.values).toEqual([true, false, true]);
    expect(frame.rowNumbers).toEqual([1, 2, 3]);
  });

  it('--data reads another file with the same schema', async () => {
    const a = tmp.write('a.csv', 'id,x,won\n1,1,yes\n2,2,no\n');
    const b = tmp.write('b.csv', 'id,x,won\n7,5,no\n8,6,yes\n9,7,no\n');
    const { frame } = await loadLeads(await configFor(a), { data: b });
    expect(frame.ids).toEqual(['7', '8', '9']);
  });
});
