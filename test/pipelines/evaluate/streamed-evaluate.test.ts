import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelDir, type LoadedModel } from '../../../pipelines/evaluate/load-model.ts';
import { scoreLabelledLeads } from '../../../pipelines/evaluate/labelled-scores.ts';
import { runEvaluate } from '../../../pipelines/evaluate/run-evaluate.ts';
import { literal, openDuckDb } from '../../../pipelines/io/duckdb.ts';
import { reportDataFromModelDir, reportDataFromScoring } from '../../../pipelines/report/report-data-from-model.ts';
import { compareOnRows } from '../../../pipelines/train/fit-lead-model.ts';
import { prepareData } from '../../../pipelines/train/prepare-data.ts';
import { splitFrame } from '../../../training/index.ts';
import { runCliAsync } from '../../helpers/run-cli.ts';
import { writeSyntheticLeads } from '../../helpers/synthetic-leads.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { syntheticFunnel } from '../lifecycle/synthetic-funnel.ts';

const tmp = tempDir('leadscore-streamed-evaluate-');
const now = new Date('2026-01-01T00:00:00Z');

/** Evaluation and report input the way they were computed before streaming: the whole file prepared, then scored. */
async function whole(m: LoadedModel, data?: string) {
  const { config } = m.loaded;
  const prepared = await prepareData(m.loaded, { data });
  let rows: ArrayLike<number> | null = null;
  let which = 'all';
  if (!data) {
    const split = splitFrame(prepared.frame, config.training.split, config.training.seed);
    which = split.test.length > 0 ? 'test' : 'validation';
    rows = which === 'test' ? split.test : split.validation;
  }
  const source = `${which} rows of ${path.basename(prepared.frame.source)}`;
  const comparison = await compareOnRows(m.model, prepared, rows, source, config.training);
  const report = await reportDataFromScoring(m.model, prepared, rows, {
    rows: source,
    dataFingerprint: 'sha256:x',
    now,
  });
  return { comparison, report };
}

/** Streamed in chunks of `chunkRows`: the evaluation and the report input. */
async function streamed(m: LoadedModel, chunkRows: number, data?: string) {
  const evaluation = await runEvaluate(m, { data, chunkRows });
  const { data: report } = await reportDataFromModelDir(m.dir, data, { chunkRows, now });
  return { comparison: evaluation.comparison, report: { ...report, provenance: { ...report.provenance } } };
}

const withoutFingerprint = <T extends { provenance: { dataFingerprint: string; dataFile?: string } }>(r: T) => ({
  ...r,
  provenance: { ...r.provenance, dataFingerprint: '', dataFile: undefined },
});

describe.each([
  {
    name: 'a funnel with events, closed deals and rules (point in time)',
    setup: () => syntheticFunnel(tmp.dir, 2500, 4),
    data: () => path.join(tmp.dir, 'funnel', 'leads.parquet'),
    chunk: 293,
  },
  {
    name: 'a leads file with its label',
    setup: () => writeSyntheticLeads(tmp.dir, { rows: 1500 }),
    data: () => path.join(tmp.dir, 'leads.csv'),
    chunk: 61,
  },
])('evaluate and report stream $name', ({ name, setup, data, chunk }) => {
  let m: LoadedModel;
  beforeAll(async () => {
    const out = path.join(tmp.dir, `model-${name.length}`);
    const train = await runCliAsync(['train', '--config', setup(), '--out', out]);
    expect(train.code, train.stderr).toBe(0);
    m = await loadModelDir(out);
  }, 180_000);
  afterAll(() => m?.model.dispose());

  it('gives the same metrics and report in small chunks as in one piece, and as before streaming', async () => {
    const one = await streamed(m, 50_000);
    const small = await streamed(m, chunk);
    const before = await whole(m);
    expect(one.comparison.rows).toBeGreaterThan(100);
    expect(small.comparison).toEqual(one.comparison);
    expect(one.comparison).toEqual(before.comparison);
    expect(small.report).toEqual(one.report);
    expect(withoutFingerprint(one.report)).toEqual(withoutFingerprint(before.report));
  }, 120_000);

  it('does so on every row of --data too', async () => {
    const file = data();
    const one = await streamed(m, 50_000, file);
    const small = await streamed(m, chunk, file);
    const before = await whole(m, file);
    expect(small.comparison).toEqual(one.comparison);
    expect(one.comparison).toEqual(before.comparison);
    expect(withoutFingerprint(small.report)).toEqual(withoutFingerprint(before.report));
  }, 120_000);
});

describe('events that match none of the leads', () => {
  it('are told in one line with the counts, by the whole-file and the streamed paths alike', async () => {
    const { dir } = tempDir('leadscore-events-match-');
    const config = syntheticFunnel(dir, 2500, 5);
    const out = path.join(dir, 'model');
    const train = await runCliAsync(['train', '--config', config, '--out', out]);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).not.toMatch(/is the events file the one/);
    // The same leads under other ids: not one of them has an event in the funnel's events file.
    const renamed = path.join(dir, 'renamed.parquet');
    const conn = await openDuckDb();
    try {
      const leads = path.join(dir, 'funnel', 'leads.parquet');
      await conn.run(
        `COPY (SELECT * REPLACE ('X' || lead_id AS lead_id) FROM read_parquet(${literal(leads)})) TO ${literal(renamed)} (FORMAT parquet)`,
      );
    } finally {
      conn.closeSync();
    }
    const m = await loadModelDir(out);
    try {
      const line =
        /^0 of (\d+) leads have events before their scoring time in events\.parquet: is the events file the one for these leads\?$/;
      const prepared = await prepareData(m.loaded, { data: renamed });
      expect(prepared.warnings.filter((w) => line.test(w))).toHaveLength(1);
      const streamed = await scoreLabelledLeads(m, { data: renamed, chunkRows: 1000 });
      expect(streamed.warnings.filter((w) => line.test(w))).toHaveLength(1);
      expect(streamed.withoutEvents).toBe(streamed.rows);
      const matching = await scoreLabelledLeads(m, { chunkRows: 1000 });
      expect(matching.warnings.filter((w) => line.test(w))).toEqual([]);
    } finally {
      m.model.dispose();
    }
  }, 240_000);
});
