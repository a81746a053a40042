import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventsConfig, OutcomesConfig } from '../../../features/feature-config.ts';
import { compileRules } from '../../../models/rules/compile-rules.ts';
import { RulesFile } from '../../../models/rules/rules-file.ts';
import { readFirstWins } from '../../../pipelines/features/read-first-wins.ts';
import { ruleTallyFor } from '../../../pipelines/rules/batch-rule-tally.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();
const bytes = (name: string, data: Buffer) => {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, data);
  return file;
};
const config = (name: string, leads: string, extra = '') =>
  tmp.write(
    name,
    `name: t\nleads: { path: ${leads}${extra} }\nidColumn: lead_id\nlabel: { column: y, positive: [yes] }\n`,
  );
const profile = (cfg: string) => runCli(['data', 'profile', '--config', cfg, '--json']);
const top = (stdout: string, column: string) =>
  JSON.parse(stdout)
    .columns.find((c: { name: string }) => c.name === column)
    .top.map((t: { value: string }) => t.value);

describe('text encodings', () => {
  const latin = bytes('latin.csv', Buffer.from('lead_id,city,y\n1,Málaga,yes\n2,Zürich,no\n3,Köln,no\n', 'latin1'));
  // 0x80 is the euro sign in windows-1252, a control character in ISO 8859-1.
  const cp1252 = bytes(
    'cp1252.csv',
    Buffer.concat([Buffer.from('lead_id,price,y\n1,5 '), Buffer.from([0x80]), Buffer.from(',yes\n2,7,no\n')]),
  );

  it('a file that is not UTF-8 is refused in one line with the way out', () => {
    const r = profile(config('latin.yaml', latin));
    expect(r.stderr).toBe(
      `leadscore: ${latin}: not UTF-8 (line 2); set encoding: latin-1 (or windows-1252) for it in the config, or convert it to UTF-8 (iconv -f windows-1252 -t utf-8)\n`,
    );
    expect(r.code).toBe(2);
  });

  it('encoding: latin-1 and windows-1252 read it', () => {
    let r = profile(config('latin-ok.yaml', latin, ', encoding: latin-1'));
    expect(r.stderr).toBe('');
    expect(top(r.stdout, 'city').sort()).toEqual(['Köln', 'Málaga', 'Zürich']);
    r = profile(config('cp1252-ok.yaml', cp1252, ', encoding: windows-1252'));
    expect(r.stderr).toBe('');
    expect(top(r.stdout, 'price')).toContain('5 €');
  });

  it('an unknown encoding is a config error naming the field', () => {
    const r = profile(config('enc.yaml', latin, ', encoding: ebcdic'));
    expect(r.stderr).toMatch(/invalid config: leads\.encoding: expected one of "utf-8"\|"latin-1"\|"windows-1252"/);
    expect(r.code).toBe(2);
  });
});

describe('a line too long', () => {
  it('is reported with its real line number and the cause', () => {
    const file = tmp.write('long.csv', `lead_id,note,y\n1,a,yes\n2,b,no\n3,${'x'.repeat(3_000_000)},no\n4,c,yes\n`);
    const r = profile(config('long.yaml', file));
    expect(r.stderr).toBe(
      `leadscore: ${file}: line 4 (counting the header) is 3000005 bytes long, more than the 2000000 bytes a line may have: an unclosed quote, a wrong delimiter, or not a CSV file\n`,
    );
    expect(r.code).toBe(2);
  });
});

describe('timestampFormat for events and outcomes', () => {
  it('reads closed deals written 26-02-2018 19:58 (the Olist export)', async () => {
    const file = tmp.write(
      'deals.csv',
      'mql_id,won_date\na,26-02-2018 19:58\nb,03-01-2018 08:05\na,27-02-2018 10:00\n',
    );
    const outcomes = OutcomesConfig.parse({
      path: file,
      leadIdColumn: 'mql_id',
      closedAtColumn: 'won_date',
      timestampFormat: 'DD-MM-YYYY HH:mm',
    });
    const wins = await readFirstWins(outcomes);
    expect(wins.get('a')).toBe(Date.UTC(2018, 1, 26, 19, 58));
    // Day first, as the format says, not 1 March.
    expect(wins.get('b')).toBe(Date.UTC(2018, 0, 3, 8, 5));
  });

  it('reads event times in a strptime format, and names a time that does not fit it', async () => {
    const file = tmp.write(
      'events.csv',
      'lead_id,event_type,ts\na,page_view,05/03/2024 17:45\na,form_submit,06/03/2024 09:00\n',
    );
    const events = EventsConfig.parse({ path: file, types: ['page_view'], timestampFormat: '%d/%m/%Y %H:%M' });
    const engine = compileRules(
      RulesFile.parse({
        name: 't',
        rules: [{ id: 'any', event: ['page_view', 'form_submit'], points: 1 }],
        tiers: [{ name: 'all' }],
      }),
    );
    // The latest event before each scoring time: between the two events, and after both.
    const tally = await ruleTallyFor(events, engine, ['a', 'a'], [Date.UTC(2024, 2, 6), Date.UTC(2024, 2, 7)]);
    expect([...tally!.lastAt]).toEqual([Date.UTC(2024, 2, 5, 17, 45), Date.UTC(2024, 2, 6, 9)]);
    const bad = tmp.write('bad-events.csv', 'lead_id,event_type,ts\na,page_view,31/02/2024 17:45\n');
    await expect(ruleTallyFor({ ...events, path: bad }, engine, ['a'], 0)).rejects.toThrow(
      /bad-events\.csv: .*Date out of range: 2024-2-31/,
    );
  });
});
