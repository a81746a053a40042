/**
 * bench:scale: the batch commands at the sizes users have, each in its own process, as a
 * user runs them (the CLI): seconds and peak resident memory (native memory included) of
 * `train` (logistic and gbdt), `score`, `evaluate` and `report` on the synthetic funnel
 * (`data synth --seed 1`) at 100k, 300k and 1M leads, and the growth from 300k to 1M.
 *
 * Unit, measured in the same run on each size: DuckDB's bare `SELECT lead_id, count(*) ...
 * GROUP BY lead_id` over the events file (as bench:features), its result read into
 * JavaScript; each command's time is also given in that unit.
 *
 * Peers, when Debian's python3-sklearn is installed, each in a process of its own after `train`
 * (gbdt), with the same rounds, leaves and learning rate (python-peer.ts):
 * - scikit-learn's HistGradientBoostingClassifier fitted on the same encoded training matrix as
 *   our gradient boosting (sklearn-gbdt.ts): both fit times, their ratio and both test AUCs;
 * - the do-it-yourself pipeline (diy-pipeline.ts): one DuckDB SQL query for the point-in-time
 *   features and label, written to CSV, then scikit-learn reading it, encoding the categories
 *   and fitting, scored on the same test leads as `train`: its SQL, read, fit and total
 *   seconds, its test AUC, and `train` (gbdt)'s seconds over its total beside our test AUC.
 * scikit-learn fits on every core, or on OMP_NUM_THREADS of them: where other work shares
 * the cores, OpenMP's threads wait on each other and two can be several times slower than one.
 *
 * Options: --sizes 100000,300000,1000000 (default), --dir DIR (the synthetic data, kept
 * between runs; default data/bench-scale), --sklearn-rounds N (default 200; 0 skips the
 * peers), --commands evaluate,report (run only these of trainLogistic, trainGbdt, score,
 * evaluate, report; default all: a logistic model left by an earlier run is reused when
 * trainLogistic is not among them; the peers run with trainGbdt). Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { literal, openDuckDb } from '../io/duckdb.ts';
import { runDiyInChild } from './diy-pipeline.ts';
import { sklearnPython } from './python-peer.ts';
import { compareWithSklearnInChild, TEST_IDS_FILE } from './sklearn-gbdt.ts';
import { benchArg } from './bench-args.ts';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/leadscore.js');
const preload = pathToFileURL(path.join(root, 'test/helpers/max-rss-preload.mjs')).href;
const sizes = (benchArg('sizes') ?? '100000,300000,1000000').split(',').map(Number);
const dir = path.resolve(benchArg('dir') ?? path.join(root, 'data/bench-scale'));
const commandNames = ['trainLogistic', 'trainGbdt', 'score', 'evaluate', 'report'];
const commands = benchArg('commands')?.split(',') ?? commandNames;
const unknown = commands.filter((c) => !commandNames.includes(c));
if (unknown.length > 0)
  throw new Error(`--commands: unknown ${unknown.join(', ')} (known: ${commandNames.join(', ')})`);
const round = (x: number, d = 2) => Number(x.toFixed(d));
const sklearnRounds = Number(benchArg('sklearn-rounds') ?? 200);
const python = sklearnRounds > 0 ? sklearnPython() : undefined;
if (sklearnRounds > 0 && !python)
  process.stderr.write(
    'scikit-learn not found (apt-get install python3-sklearn): no peer fit, no do-it-yourself pipeline\n',
  );

interface Run {
  seconds: number;
  peakRssMb: number;
}

/** Runs `leadscore args` in a child process; its wall time and peak RSS. */
function leadscore(args: string[], label: string): Run {
  const rssFile = path.join(dir, `.${process.pid}.maxrss`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, NODE_OPTIONS: `--import ${preload}`, LEADSCORE_MAX_RSS_FILE: rssFile, LEADSCORE_QUIET: '1' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr.trim().split('\n').at(-1)}`);
  const peakRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  rmSync(rssFile, { force: true });
  process.stderr.write(`  ${label}: ${seconds.toFixed(1)} s, ${peakRssMb.toFixed(0)} MB\n`);
  return { seconds: round(seconds), peakRssMb: Math.round(peakRssMb) };
}

/** The synthetic funnel of `n` leads and a config pointing at it (generated once, kept in `dir`). */
function funnel(n: number): { data: string; config: string } {
  const data = path.join(dir, String(n));
  if (!existsSync(path.join(data, 'events.parquet'))) {
    rmSync(data, { recursive: true, force: true });
    leadscore(['data', 'synth', '--leads', String(n), '--seed', '1', '--out', data], `data synth ${n}`);
  }
  const configs = path.join(root, 'pipelines/configs');
  const text = readFileSync(path.join(configs, 'synthetic-funnel.yaml'), 'utf8')
    .replaceAll('../../data/synthetic-funnel', data)
    .replace(/^rules: (.*)$/m, (_, rel: string) => `rules: ${path.join(configs, rel)}`);
  const withModel = (model: string) => `${text.trimEnd()}\ntraining:\n  model: ${model}\n`;
  writeFileSync(path.join(data, 'logistic.yaml'), withModel('logistic'));
  writeFileSync(path.join(data, 'gbdt.yaml'), withModel('gbdt'));
  return { data, config: path.join(data, 'logistic.yaml') };
}

/** The unit: DuckDB's bare GROUP BY lead_id count over the events file, read into JavaScript (best of 3). */
async function duckdbGroupBy(events: string): Promise<number> {
  const conn = await openDuckDb();
  try {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = process.hrtime.bigint();
      const reader = await conn.runAndReadAll(
        `SELECT lead_id, count(*) AS n FROM read_parquet(${literal(events)}) GROUP BY lead_id`,
      );
      reader.getColumnsJS();
      best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
    }
    return round(best, 3);
  } finally {
    conn.closeSync();
  }
}

const results: Record<string, unknown>[] = [];
mkdirSync(dir, { recursive: true });
for (const n of sizes) {
  process.stderr.write(`${n} leads\n`);
  const { data, config } = funnel(n);
  const unit = await duckdbGroupBy(path.join(data, 'events.parquet'));
  const logistic = path.join(data, 'model-logistic');
  const gbdt = path.join(data, 'model-gbdt');
  const row: Record<string, unknown> = { leads: n, duckdbGroupBySeconds: unit };
  if (commands.includes('trainLogistic') || !existsSync(path.join(logistic, 'manifest.json'))) {
    rmSync(logistic, { recursive: true, force: true });
    const run = leadscore(['train', '--config', config, '--out', logistic], 'train logistic');
    if (commands.includes('trainLogistic')) row.trainLogistic = run;
  }
  if (commands.includes('trainGbdt')) {
    rmSync(gbdt, { recursive: true, force: true });
    row.trainGbdt = leadscore(['train', '--config', path.join(data, 'gbdt.yaml'), '--out', gbdt], 'train gbdt');
    const manifest = JSON.parse(readFileSync(path.join(gbdt, 'manifest.json'), 'utf8')) as {
      metrics: { model: { auc: number } };
    };
    row.gbdtTestAuc = round(manifest.metrics.model.auc, 4);
    if (python) {
      const peer = compareWithSklearnInChild(python, path.join(data, 'gbdt.yaml'), data, sklearnRounds);
      process.stderr.write(
        `  gbdt fit vs scikit-learn (${peer.rounds} rounds, ${peer.rows} rows x ${peer.features}, ${peer.sklearnThreads} threads): ${peer.ourFitSeconds} s vs ${peer.sklearnFitSeconds} s (${peer.fitRatio}x)\n`,
      );
      row.gbdtVsSklearn = peer;
      const testIds = path.join(data, TEST_IDS_FILE);
      const diy = runDiyInChild(python, path.join(data, 'gbdt.yaml'), testIds, data, sklearnRounds);
      const trainGbdt = row.trainGbdt as Run;
      const vsDiy = { ...diy, trainGbdtRatio: round(trainGbdt.seconds / diy.seconds), gbdtTestAuc: row.gbdtTestAuc };
      process.stderr.write(
        `  do-it-yourself DuckDB + scikit-learn (${diy.rounds} rounds, ${diy.trainRows} rows x ${diy.features}, ${diy.threads} threads): SQL ${diy.sqlSeconds} s, read ${diy.readSeconds} s, fit ${diy.fitSeconds} s, ${diy.seconds} s in all, test AUC ${diy.testAuc}; train gbdt ${trainGbdt.seconds} s (${vsDiy.trainGbdtRatio}x), test AUC ${row.gbdtTestAuc}\n`,
      );
      row.gbdtVsDiy = vsDiy;
    }
  }
  if (commands.includes('score'))
    row.score = leadscore(
      [
        'score',
        '--model',
        logistic,
        '--input',
        path.join(data, 'leads.parquet'),
        '--output',
        path.join(data, 'scores.csv'),
      ],
      'score',
    );
  if (commands.includes('evaluate')) row.evaluate = leadscore(['evaluate', '--model', logistic, '--json'], 'evaluate');
  if (commands.includes('report'))
    row.report = leadscore(['report', '--model', logistic, '--out', path.join(data, 'report.html')], 'report');
  for (const k of commands)
    (row[k] as Run & { unitRatio?: number }).unitRatio = round((row[k] as Run).seconds / unit, 1);
  results.push(row);
}

const bySize = new Map(results.map((r) => [r.leads as number, r]));
const growth: Record<string, number> = {};
const [a, b] = [bySize.get(300_000), bySize.get(1_000_000)];
if (a && b) for (const k of commands) growth[`${k}PeakRss`] = round((b[k] as Run).peakRssMb / (a[k] as Run).peakRssMb);
console.log(JSON.stringify({ bench: 'scale', results, growth300kTo1M: growth }));
