import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { literal, openDuckDb } from '../../../pipelines/io/duckdb.ts';
import { runCliAsync } from '../../helpers/run-cli.ts';
import { syntheticFunnel } from '../lifecycle/synthetic-funnel.ts';
import { startWorkerProcess, type WorkerProcess } from '../../serving/worker-process.ts';

/** A synthetic funnel of `leads` leads in `dir` and a small model trained on its first `trainRows`. */
export async function funnelModel(
  dir: string,
  leads: number,
  trainRows = 3000,
  name = 'model',
): Promise<{ config: string; model: string; leadsParquet: string }> {
  const config = syntheticFunnel(dir, leads, 3);
  const leadsParquet = path.join(dir, 'funnel', 'leads.parquet');
  const model = path.join(dir, name);
  const train = await runCliAsync(
    [
      'train',
      '--config',
      config,
      '--data',
      await leadsFile(dir, leadsParquet, `${name}-train.parquet`, trainRows),
      '--out',
      model,
    ],
    { env: { LEADSCORE_QUIET: '1' } },
  );
  expect(train.code, train.stderr).toBe(0);
  return { config, model, leadsParquet };
}

/** Copies the first `n` leads to `name` in `dir` (CSV or Parquet by extension), the columns as `select` says. */
export async function leadsFile(
  dir: string,
  leadsParquet: string,
  name: string,
  n: number,
  select = '*',
): Promise<string> {
  const out = path.join(dir, name);
  const conn = await openDuckDb();
  try {
    const format = name.endsWith('.csv') ? 'csv, HEADER' : 'parquet';
    await conn.run(
      `COPY (SELECT ${select} FROM read_parquet(${literal(leadsParquet)}) LIMIT ${n}) TO ${literal(out)} (FORMAT ${format})`,
    );
  } finally {
    conn.closeSync();
  }
  return out;
}

/** Starts `leadscore serve` workers on `queue`, with quick takeover of a dead worker's jobs. */
export function startWorkers(
  n: number,
  options: { model: string; redis: string; queue: string } & Record<string, unknown>,
): Promise<WorkerProcess[]> {
  return Promise.all(
    Array.from({ length: n }, () =>
      startWorkerProcess({
        lockDuration: 4000,
        stalledInterval: 1000,
        reloadInterval: 0,
        logLevel: 'info',
        ...options,
      }),
    ),
  );
}

/** Splits one CSV line (quoted fields may hold commas and doubled quotes). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/**
 * Asserts two score outputs (CSV) hold the same leads in the same order, with the same
 * columns; probabilities equal within 1e-12. Returns the number of leads.
 */
export function expectSameScores(actualFile: string, expectedFile: string): number {
  const actual = readFileSync(actualFile, 'utf8').split('\n');
  const expected = readFileSync(expectedFile, 'utf8').split('\n');
  expect(actual.length).toBe(expected.length);
  expect(actual[0]).toBe(expected[0]);
  const probability = csvFields(expected[0]!).indexOf('probability');
  for (let i = 1; i < expected.length; i++) {
    if (actual[i] === expected[i]) continue;
    const a = csvFields(actual[i]!);
    const e = csvFields(expected[i]!);
    expect(Math.abs(Number(a[probability]) - Number(e[probability])), `line ${i + 1}`).toBeLessThanOrEqual(1e-12);
    a[probability] = e[probability]!;
    expect(a, `line ${i + 1}`).toEqual(e);
  }
  return expected.filter((l) => l !== '').length - 1;
}

/** The lead ids of a score output (CSV), in order. */
export function outputIds(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => csvFields(l)[0]!);
}

/** Stops worker processes (SIGKILL: a test's workers hold nothing worth finishing). */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (w) => {
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await w.exited;
    }),
  );
}
