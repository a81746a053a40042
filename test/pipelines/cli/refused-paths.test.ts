import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../serving/logger.ts';
import { loadLeadModel } from '../../../serving/lead-model-loader.ts';
import { ModelHolder } from '../../../serving/model-holder.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { writeSyntheticLeads } from '../../helpers/synthetic-leads.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();
const oneLine = (stderr: string) => expect(stderr.trim().split('\n')).toHaveLength(1);

describe('outputs that would destroy inputs are refused before anything is read (exit 2)', () => {
  let model: string;
  let cfg: string;
  let leads: string;
  beforeAll(() => {
    cfg = writeSyntheticLeads(tmp.dir, { rows: 400 });
    leads = path.join(tmp.dir, 'leads.csv');
    model = path.join(tmp.dir, 'model');
    const r = runCli(['train', '--config', cfg, '--out', model]);
    if (r.code !== 0) throw new Error(r.stderr);
  });

  it('score --output equal to --input, also through a symbolic link, leaves the input as it was', () => {
    const before = readFileSync(leads, 'utf8');
    let r = runCli(['score', '--model', model, '--input', leads, '--output', leads]);
    expect(r.stderr).toBe(`leadscore: --output ${leads}: is the input ${leads}; write the output to another file\n`);
    expect(r.code).toBe(2);
    const link = path.join(tmp.dir, 'link.csv');
    symlinkSync(leads, link);
    r = runCli(['score', '--model', model, '--input', leads, '--output', link]);
    expect(r.stderr).toMatch(/--output .*link\.csv: is the input .*leads\.csv/);
    expect(r.code).toBe(2);
    expect(readFileSync(leads, 'utf8')).toBe(before);
  });

  it('rules score --output equal to the leads file or the rules file', () => {
    let r = runCli(['rules', 'score', '--config', cfg, '--output', leads]);
    expect(r.stderr).toMatch(/--output .*leads\.csv: is the input .*leads\.csv/);
    expect(r.code).toBe(2);
    r = runCli(['rules', 'score', '--config', cfg, '--output', path.join(tmp.dir, 'rules.yaml')]);
    expect(r.stderr).toMatch(/rules\.yaml: is the input/);
    expect(r.code).toBe(2);
  });

  it('train --out on an existing folder is refused before any data is read', () => {
    const missing = tmp.write(
      'nodata.yaml',
      `name: t\nleads: { path: ${tmp.dir}/nope.csv }\nlabel: { column: y, positive: [1] }\n`,
    );
    const r = runCli(['train', '--config', missing, '--out', model]);
    expect(r.stderr).toBe(`leadscore: --out ${model}: already exists; choose another --out\n`);
    expect(r.code).toBe(2);
  });

  it('data synth --out refuses a folder holding files unless --force', () => {
    const out = path.join(tmp.dir, 'synth');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    let r = runCli(['data', 'synth', '--leads', '200', '--out', out]);
    expect(r.stderr).toBe(
      `leadscore: --out ${out}: not empty (1 entry); choose an empty folder, or pass --force to write into it\n`,
    );
    expect(r.code).toBe(2);
    r = runCli(['data', 'synth', '--leads', '200', '--out', out, '--force']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });
});

describe('rules naming columns or event types the data lacks are refused (exit 2) unless --allow-unknown-rule-columns', () => {
  const dir = tempDir().dir;
  const cfg = writeSyntheticLeads(dir, { rows: 400 });
  const rules = path.join(dir, 'rules.yaml');
  writeFileSync(
    rules,
    readFileSync(rules, 'utf8') +
      '  - { id: typo, column: titel, equals: CTO, points: 5 }\n  - { id: webinar, event: webnar, points: 5 }\n',
  );
  const message = new RegExp(
    `${rules.replaceAll('.', '\\.')}: rules name column "titel" not in .*leads\\.csv, and event type "webnar" but the config has no events file`,
  );

  it('train', () => {
    const r = runCli(['train', '--config', cfg, '--out', path.join(dir, 'm1')]);
    expect(r.stderr).toMatch(message);
    oneLine(r.stderr);
    expect(r.code).toBe(2);
    const allowed = runCli(['train', '--config', cfg, '--out', path.join(dir, 'm2'), '--allow-unknown-rule-columns']);
    expect(allowed.code).toBe(0);
  });

  it('score, with the model trained anyway', () => {
    const r = runCli([
      'score',
      '--model',
      path.join(dir, 'm2'),
      '--input',
      path.join(dir, 'leads.csv'),
      '--output',
      path.join(dir, 's.csv'),
    ]);
    expect(r.stderr).toMatch(/m2\/rules\.yaml: rules name column "titel" not in .*leads\.csv/);
    expect(r.code).toBe(2);
    const allowed = runCli([
      'score',
      '--model',
      path.join(dir, 'm2'),
      '--input',
      path.join(dir, 'leads.csv'),
      '--output',
      path.join(dir, 's.csv'),
      '--allow-unknown-rule-columns',
    ]);
    expect(allowed.code).toBe(0);
  });

  it('rules score; rules check --config only warns', () => {
    const r = runCli(['rules', 'score', '--config', cfg, '--output', path.join(dir, 'r.csv')]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(
      runCli(['rules', 'score', '--config', cfg, '--output', path.join(dir, 'r.csv'), '--allow-unknown-rule-columns'])
        .code,
    ).toBe(0);
    const check = runCli(['rules', 'check', rules, '--config', cfg]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/titel/);
  });

  it('serve, with the model trained anyway: the manifest records the names, the worker refuses it unless allowed', async () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'm2', 'manifest.json'), 'utf8')) as {
      rules: { unknownNames?: unknown };
    };
    expect(manifest.rules.unknownNames).toEqual({ columns: ['titel'], eventTypes: ['webnar'] });
    // The model loads before the worker needs Redis: nothing listens on port 1.
    const r = runCli([
      'serve',
      '--model',
      path.join(dir, 'm2'),
      '--redis',
      'redis://127.0.0.1:1',
      '--metrics-port',
      '0',
    ]);
    expect(r.stderr).toMatch(
      /^leadscore: model .* \(.*m2\): its rules name column "titel", event type "webnar", which its training data lacked, so its rule scores would be wrong \(retrain with the names fixed, or start the worker with --allow-unknown-rule-columns\)\n$/,
    );
    expect(r.code).toBe(2);
    const log = createLogger({ level: 'silent' });
    const allowed = new ModelHolder(
      loadLeadModel,
      { model: path.join(dir, 'm2'), reloadIntervalMs: 0, allowUnknownRuleColumns: true },
      log,
    );
    await expect(allowed.start()).resolves.toMatchObject({ unknownRuleNames: { columns: ['titel'] } });
    allowed.close();
    const refused = new ModelHolder(loadLeadModel, { model: path.join(dir, 'm2'), reloadIntervalMs: 0 }, log);
    await expect(refused.start()).rejects.toThrow(/--allow-unknown-rule-columns/);
  });
});

describe('paths are literal unless the config says glob: true', () => {
  const dir = tempDir().dir;
  const write = (name: string, rows: string[]) =>
    writeFileSync(path.join(dir, name), `lead_id,age,y\n${rows.join('\n')}\n`);
  write('leads*.csv', ['1,30,yes', '2,40,no']);
  write('leads1.csv', ['3,30,yes', '4,40,no']);
  write('leads2.csv', ['5,30,yes', '6,40,no']);
  const cfg = (name: string, extra = '') => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      `name: t\nleads: { path: 'leads*.csv'${extra} }\nidColumn: lead_id\nlabel: { column: y, positive: [yes] }\n`,
    );
    return file;
  };

  it('a name with * reads that one file', () => {
    const r = runCli(['data', 'profile', '--config', cfg('literal.yaml'), '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).rows).toBe(2);
  });

  it('glob: true reads every matching file', () => {
    const r = runCli(['data', 'profile', '--config', cfg('glob.yaml', ', glob: true'), '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).rows).toBe(6);
  });

  it('train with glob: true fingerprints every matching file in the manifest', () => {
    const tdir = tempDir().dir;
    const config = writeSyntheticLeads(tdir, { rows: 600 });
    const [header, ...rows] = readFileSync(path.join(tdir, 'leads.csv'), 'utf8').trim().split('\n');
    writeFileSync(path.join(tdir, 'part-1.csv'), `${[header, ...rows.slice(0, 300)].join('\n')}\n`);
    writeFileSync(path.join(tdir, 'part-2.csv'), `${[header, ...rows.slice(300)].join('\n')}\n`);
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('{ path: leads.csv }', "{ path: 'part-*.csv', glob: true }"),
    );
    const out = path.join(tdir, 'model');
    const r = runCli(['train', '--config', config, '--out', out]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      inputs: { role: string; path: string; bytes: number }[];
    };
    expect(manifest.inputs.map((i) => [i.role, path.basename(i.path)])).toEqual([
      ['leads', 'part-1.csv'],
      ['leads', 'part-2.csv'],
    ]);
    expect(manifest.inputs.every((i) => i.bytes > 0)).toBe(true);
  });
});
