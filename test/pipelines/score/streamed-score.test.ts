import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { leadsFile as copyLeads } from './fan-out-fixture.ts';
import { loadModelDir } from '../../../pipelines/evaluate/load-model.ts';
import { runScore } from '../../../pipelines/score/run-score.ts';
import { repoRoot, runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { syntheticFunnel } from '../lifecycle/synthetic-funnel.ts';

const tmp = tempDir('leadscore-streamed-score-');
const preload = pathToFileURL(path.join(repoRoot, 'test/helpers/max-rss-preload.mjs')).href;
const leadsParquet = path.join(tmp.dir, 'funnel', 'leads.parquet');

/** Copies the first `n` leads of the funnel to `name` (CSV or Parquet by extension), with `edit` applied in SQL. */
function leadsFile(name: string, n: number, select = '*'): Promise<string> {
  return copyLeads(tmp.dir, leadsParquet, name, n, select);
}

/** Peak resident memory (KiB) of `leadscore args` in a child process. */
function peakRss(args: string[], name: string): number {
  const file = path.join(tmp.dir, `${name}.maxrss`);
  const r = runCli(args, { env: { NODE_OPTIONS: `--import ${preload}`, LEADSCORE_MAX_RSS_FILE: file } });
  expect(r.code, r.stderr).toBe(0);
  return Number(readFileSync(file, 'utf8'));
}

describe('score streams the input in chunks', () => {
  const model = path.join(tmp.dir, 'model');
  let csv = '';

  beforeAll(async () => {
    const config = syntheticFunnel(tmp.dir, 200_000, 3);
    // A small model, fitted on the first 3000 leads; every scoring run below reads the events of 200,000.
    const train = runCli([
      'train',
      '--config',
      config,
      '--data',
      await leadsFile('train.parquet', 3000),
      '--out',
      model,
    ]);
    expect(train.code, train.stderr).toBe(0);
    csv = await leadsFile('leads.csv', 3000);
  }, 240_000);

  it('gives the same scores in chunks (events split by chunk) as in one piece', () => {
    const whole = path.join(tmp.dir, 'whole.csv');
    const chunked = path.join(tmp.dir, 'chunked.csv');
    expect(runCli(['score', '--model', model, '--input', csv, '--output', whole]).code).toBe(0);
    const r = runCli(['score', '--model', model, '--input', csv, '--output', chunked, '--chunk', '700']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^scored 3000 leads with \S+; \d+ without an event before their scoring time$/m);
    const text = readFileSync(chunked, 'utf8');
    expect(text.split('\n').length).toBe(3002);
    expect(text).toBe(readFileSync(whole, 'utf8'));
  });

  it('writes the same bytes from scoring threads as from the main thread, CSV and Parquet', async () => {
    const m = await loadModelDir(model);
    for (const ext of ['csv', 'parquet']) {
      const files = { thread: path.join(tmp.dir, `threaded.${ext}`), main: path.join(tmp.dir, `main.${ext}`) };
      const threaded = await runScore(m, { input: csv, output: files.thread, chunkRows: 700, thread: true });
      const main = await runScore(m, { input: csv, output: files.main, chunkRows: 700, thread: false });
      expect(threaded).toEqual(main);
      expect(threaded.rows).toBe(3000);
      expect(readFileSync(files.thread).equals(readFileSync(files.main)), ext).toBe(true);
    }
    m.model.dispose();
  });

  it('fails as a whole, leaving no output, when a scoring thread cannot score', async () => {
    const copy = path.join(tmp.dir, 'model-copy');
    cpSync(model, copy, { recursive: true });
    const m = await loadModelDir(copy);
    // The model is gone by the time the threads load it.
    rmSync(copy, { recursive: true });
    const out = path.join(tmp.dir, 'gone', 'scores.csv');
    await expect(runScore(m, { input: csv, output: out, chunkRows: 700, thread: true })).rejects.toThrow(/model-copy/);
    expect(readdirSync(path.dirname(out))).toEqual([]);
    m.model.dispose();
  });

  it('stops at a bad row deep in the input with its row number, exit code 2 and no output file', async () => {
    const bad = await leadsFile(
      'bad.csv',
      3000,
      `* REPLACE (CASE WHEN lead_id = 'L0002899' THEN 'lots' ELSE employees::VARCHAR END AS employees)`,
    );
    const out = path.join(tmp.dir, 'out', 'scores.csv');
    const r = runCli(['score', '--model', model, '--input', bad, '--output', out, '--chunk', '500', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.csv: 1 bad row: row 2900: column "employees": cannot parse "lots" as a number/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(path.dirname(out))).toEqual([]);

    const skipped = runCli([
      'score',
      '--model',
      model,
      '--input',
      bad,
      '--output',
      out,
      '--chunk',
      '500',
      '--skip-bad-rows',
    ]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toMatch(/row 2900/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3000);
  });

  it('finds a lead id repeated in another chunk', async () => {
    const twice = await leadsFile(
      'twice.csv',
      3000,
      `* REPLACE (CASE WHEN lead_id = 'L0002499' THEN 'L0000009' ELSE lead_id END AS lead_id)`,
    );
    const r = runCli([
      'score',
      '--model',
      model,
      '--input',
      twice,
      '--output',
      path.join(tmp.dir, 'twice-out.csv'),
      '--chunk',
      '500',
      '--quiet',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/twice\.csv: duplicate lead id "L0000009" at rows 10 and 2500\n$/);
  });

  // Both sizes are past what a run pays once whatever its size (DuckDB's working memory,
  // V8's heap grown to a chunk's needs), which a run of one or two chunks has not paid yet.
  it('keeps peak memory flat from 50,000 to 200,000 leads', async () => {
    const mid = await leadsFile('mid.parquet', 50_000);
    const args = (input: string, output: string) => [
      'score',
      '--model',
      model,
      '--input',
      input,
      '--output',
      path.join(tmp.dir, output),
      '--chunk',
      '10000',
      '--quiet',
    ];
    const at50k = peakRss(args(mid, 's50k.csv'), 'mid');
    const at200k = peakRss(args(leadsParquet, 's200k.csv'), 'large');
    expect(at200k / at50k, `${at50k} KiB at 50k, ${at200k} KiB at 200k`).toBeLessThanOrEqual(1.3);
  }, 180_000);
});
