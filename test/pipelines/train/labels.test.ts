import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../../helpers/run-cli.ts';
import { writeSyntheticLeads } from '../../helpers/synthetic-leads.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();

describe('labels: in the dataset config', () => {
  it('words the reasons of scored leads; the model keeps the raw names', async () => {
    const config = writeSyntheticLeads(tmp.dir, { rows: 2000 });
    writeFileSync(
      config,
      `${readFileSync(config, 'utf8')}labels:\n  title: { label: Job title, values: { Intern: an intern, VP Sales: vice president of sales } }\n  visits: Website visits\n`,
    );
    const model = path.join(tmp.dir, 'model');
    const trained = await runCliAsync(['train', '--config', config, '--out', model]);
    expect(trained.code, trained.stderr).toBe(0);
    const out = path.join(tmp.dir, 'scores.jsonl');
    const scored = await runCliAsync([
      'score',
      '--model',
      model,
      '--input',
      path.join(tmp.dir, 'leads.csv'),
      '--output',
      out,
    ]);
    expect(scored.code, scored.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/Job title = an intern/);
    expect(text).toMatch(/Job title = vice president of sales/);
    expect(text).not.toMatch(/title = Intern/);
    const spec = JSON.parse(readFileSync(path.join(model, 'feature-spec.json'), 'utf8')) as {
      encoders: { source: string; label: string }[];
    };
    expect(spec.encoders.find((e) => e.source === 'title')).toMatchObject({ source: 'title', label: 'Job title' });
  });
});
