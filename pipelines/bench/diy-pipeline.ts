/**
 * The do-it-yourself peer of `train` (gbdt) for bench:scale: the pipeline a data scientist
 * writes by hand for the synthetic funnel, timed from its data files to a test AUC.
 *
 * 1. SQL (DuckDB): one query builds the training table and writes it to CSV. Each lead's
 *    asOf is its creation time plus the config's offset; leads whose first win closed at or
 *    before asOf are left out, and the label is a win in (asOf, asOf + horizon], as the
 *    config defines them. Events strictly before asOf are joined to their lead and folded
 *    into one FILTERed aggregate a column: counts (all time and per window), active days,
 *    days since the first and last event, and per event type its counts, days since the
 *    last, decayed engagement and the sums of the numeric properties, and the last event's
 *    type. Beside them the lead's attributes: industry, country, job title, source,
 *    employees, creation hour and weekday, and whether the address is a free-mail one. The
 *    outcomes give the label only; nothing after asOf is read. Leads without events keep
 *    empty aggregates, which the trees take as missing.
 * 2. Python (numpy and scikit-learn; Debian's python3 has no pandas): numpy reads the CSV,
 *    an OrdinalEncoder fitted on the training rows codes the categorical columns for
 *    HistGradientBoostingClassifier's native categorical splits (unseen categories become
 *    missing), the model fits every lead outside the test leads of `train`'s split (the ids
 *    sklearn-gbdt.ts writes) with the settings of python-peer.ts, and scores the test leads.
 *    It fits on more rows than `train`, which fits on its training rows and keeps its
 *    validation rows for early stopping, calibration and tiers.
 *
 * The event types, windows, half-life, numeric properties, asOf offset and horizon are
 * read from the config, so both sides use the same ones; the column names are the funnel's.
 * Times: the SQL step, reading and encoding, the fit, and the whole pipeline (Python's
 * start and imports included), each in seconds.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { freeMailDomains } from '../../features/free-mail-domains.ts';
import type { DatasetConfig } from '../config/dataset-config.ts';
import { loadDatasetConfig } from '../config/load-config.ts';
import { ident, literal, openDuckDb } from '../io/duckdb.ts';
import { HGB_PYTHON, runModuleInChild, runPythonScript } from './python-peer.ts';

export interface DiyResult {
  trainRows: number;
  testRows: number;
  /** Columns the model fits on. */
  features: number;
  rounds: number;
  /** The SQL step: the query and its CSV. */
  sqlSeconds: number;
  /** Reading the CSV and encoding the categories, in Python. */
  readSeconds: number;
  fitSeconds: number;
  /** The whole pipeline: SQL, then the Python process from start to AUC. */
  seconds: number;
  testAuc: number;
  /** scikit-learn's OpenMP threads. */
  threads: number;
}

/** The columns Python encodes as categories (the rest but lead_id and label are numbers). */
const CATEGORICAL = ['industry', 'country', 'job_title', 'source', 'last_type'];

/** The training table's query over `config`'s files (see the header); throws unless it is the funnel's kind of config. */
export function diyFeaturesSql(config: DatasetConfig): string {
  const { events, outcomes, asOf, label } = config;
  if (!events || !outcomes || !asOf || !('column' in asOf) || !('fromOutcomes' in label) || !label.horizonDays)
    throw new Error('the do-it-yourself pipeline needs events, outcomes, asOf from a column and a label horizon');
  const days = (n: number) => `INTERVAL (${n * 24}) HOUR`;
  const is = (type: string) => `FILTER (WHERE type = ${literal(type)})`;
  const name = (...parts: (string | number)[]) => ident(parts.join('_'));
  const perType = events.types.flatMap((type) => [
    `count(*) ${is(type)} AS ${name(type)}`,
    ...events.windowsDays.map(
      (w) => `count(*) FILTER (WHERE type = ${literal(type)} AND age <= ${w}) AS ${name(type, `${w}d`)}`,
    ),
    `min(age) ${is(type)} AS ${name(type, 'days_since_last')}`,
    `sum(pow(0.5, age / ${events.halfLifeDays})) ${is(type)} AS ${name(type, 'decayed')}`,
    ...events.numericProperties.map((p) => `sum(${ident(p)}) ${is(type)} AS ${name(type, p)}`),
  ]);
  return `
    WITH population AS (
      SELECT l.*, l.created_at + ${days(asOf.offsetDays)} AS as_of,
        coalesce(w.won_at <= l.created_at + ${days(asOf.offsetDays + label.horizonDays)}, false)::INT AS label
      FROM read_parquet(${literal(config.leads.path)}) l
      LEFT JOIN (
        SELECT lead_id, min(closed_at) AS won_at FROM read_parquet(${literal(outcomes.path)})
        WHERE lower(status) IN (${outcomes.wonValues.map((v) => literal(v.toLowerCase())).join(', ')})
        GROUP BY lead_id
      ) w USING (lead_id)
      WHERE w.won_at IS NULL OR w.won_at > l.created_at + ${days(asOf.offsetDays)}
    ),
    past AS (
      SELECT e.*, e.event_type AS type, (epoch_ms(p.as_of) - epoch_ms(e.ts)) / 86400000 AS age
      FROM read_parquet(${literal(events.path)}) e JOIN population p ON e.lead_id = p.lead_id AND e.ts < p.as_of
    ),
    aggregates AS (
      SELECT lead_id,
        count(*) AS events,
        ${events.windowsDays.map((w) => `count(*) FILTER (WHERE age <= ${w}) AS ${name('events', `${w}d`)}`).join(',\n        ')},
        count(DISTINCT ts::DATE) AS active_days,
        min(age) AS days_since_last,
        max(age) AS days_since_first,
        ${perType.join(',\n        ')},
        arg_max(type, ts) AS last_type
      FROM past GROUP BY lead_id
    )
    SELECT p.lead_id, p.label, p.industry, p.country, p.job_title, p.source, p.employees,
      hour(p.created_at) AS created_hour, dayofweek(p.created_at) AS created_weekday,
      (split_part(lower(p.email), '@', 2) IN (${freeMailDomains.map(literal).join(', ')}))::INT AS free_mail,
      a.* EXCLUDE (lead_id)
    FROM population p LEFT JOIN aggregates a USING (lead_id)`;
}

const FIT_SCRIPT = `${HGB_PYTHON}
import json, sys, time
import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import OrdinalEncoder
table_csv, test_ids_file, categorical, rounds = sys.argv[1], sys.argv[2], sys.argv[3].split(','), int(sys.argv[4])
t = time.perf_counter()
with open(table_csv) as f:
    header = f.readline().rstrip('\\n').split(',')
texts = set(categorical) | {'lead_id'}
table = np.loadtxt(table_csv, delimiter=',', quotechar='"', skiprows=1,
                   dtype=[(c, 'U64' if c in texts else 'f8') for c in header])
with open(test_ids_file) as f:
    test_ids = set(f.read().split())
test = np.fromiter((i in test_ids for i in table['lead_id']), bool, len(table))
train = ~test
cats = np.column_stack([table[c] for c in categorical])
encoder = OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=np.nan).fit(cats[train])
x = np.column_stack([encoder.transform(cats)] + [table[c] for c in header if c not in texts and c != 'label'])
y = table['label'].astype(np.uint8)
read = time.perf_counter() - t
m = hgb(rounds, categorical_features=list(range(len(categorical))))
t = time.perf_counter()
m.fit(x[train], y[train])
fit = time.perf_counter() - t
auc = roc_auc_score(y[test], m.predict_proba(x[test])[:, 1])
print(json.dumps({'trainRows': int(train.sum()), 'testRows': int(test.sum()), 'features': x.shape[1],
                  'readSeconds': read, 'fitSeconds': fit, 'testAuc': auc, 'threads': HGB_THREADS}))
`;

/**
 * Runs the pipeline on `configFile`'s data, its CSV in `workDir`: the model fits `rounds`
 * rounds and is scored on the leads listed in `testIdsFile`.
 */
export async function runDiy(
  python: string,
  configFile: string,
  testIdsFile: string,
  workDir: string,
  rounds: number,
): Promise<DiyResult> {
  const { config } = await loadDatasetConfig(configFile);
  const table = path.join(workDir, 'diy-table.csv');
  const started = process.hrtime.bigint();
  const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;
  const conn = await openDuckDb();
  try {
    await conn.run(`COPY (${diyFeaturesSql(config)}) TO ${literal(table)} (HEADER, NULLSTR 'nan')`);
  } finally {
    conn.closeSync();
  }
  const sqlSeconds = since(started);
  const py = runPythonScript<Omit<DiyResult, 'rounds' | 'sqlSeconds' | 'seconds'>>(
    python,
    FIT_SCRIPT,
    [table, testIdsFile, CATEGORICAL.join(','), String(rounds)],
    'do-it-yourself scikit-learn',
  );
  const seconds = since(started);
  rmSync(table, { force: true });
  const round = (v: number, d = 2) => Number(v.toFixed(d));
  return {
    ...py,
    rounds,
    sqlSeconds: round(sqlSeconds),
    readSeconds: round(py.readSeconds),
    fitSeconds: round(py.fitSeconds),
    seconds: round(seconds),
    testAuc: round(py.testAuc, 4),
  };
}

/** The pipeline in a child process of its own (see runModuleInChild). */
export function runDiyInChild(
  python: string,
  configFile: string,
  testIdsFile: string,
  workDir: string,
  rounds: number,
): DiyResult {
  return runModuleInChild(
    import.meta.filename,
    [python, configFile, testIdsFile, workDir, String(rounds)],
    'do-it-yourself pipeline',
  );
}

if (process.argv[1] === import.meta.filename) {
  const [python, configFile, testIdsFile, workDir, rounds] = process.argv.slice(2);
  console.log(JSON.stringify(await runDiy(python!, configFile!, testIdsFile!, workDir!, Number(rounds))));
}
