/**
 * Train/test matrices for the gradient-boosting benchmark, three ways:
 * - `codes`: a deliberately simple encoding (numbers as they are, missing as NaN, each
 *   categorical column as integer codes by training frequency), read with DuckDB;
 * - `spec`: the project's own pipeline (dataset config, leads loader, feature spec fitted
 *   on the training file: one-hot categories, imputed and scaled numbers);
 * - `synthetic_wide`: 33k generated rows of 60 columns, the width the spec produces, for speed.
 */

import path from 'node:path';
import { encodeFrame } from '../../features/encode-features.ts';
import { fitFeatureSpec } from '../../features/fit-feature-spec.ts';
import type { Frame } from '../../features/frame.ts';
import type { Matrix } from '../../features/matrix.ts';
import { seededRandom } from '../../models/seeded-random.ts';
import { loadDatasetConfig } from '../config/load-config.ts';
import { literal, openDuckDb, queryRows } from '../io/duckdb.ts';
import { loadLeads } from '../io/load-leads.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SPLITS = path.resolve(ROOT, '../shared/data/benchmarks');

interface RealCase {
  stem: string;
  config: string;
  delim: string;
  label: string;
  positive: string;
  drop: string[];
  missing: string[];
}

const bank: RealCase = {
  stem: 'bank-additional-full.csv',
  config: 'bank-marketing.yaml',
  delim: ';',
  label: 'y',
  positive: 'yes',
  drop: ['duration'],
  missing: [],
};

/** The shared splits (`../shared/data/benchmarks/<case>/{train,test}-<stem>`). */
export const REAL_CASES: Record<string, RealCase> = {
  bank_random: bank,
  leads_random: {
    stem: 'Leads.csv',
    config: 'x-education-leads.yaml',
    delim: ',',
    label: 'Converted',
    positive: '1',
    drop: ['Prospect ID', 'Lead Number', 'Tags', 'Lead Quality'],
    missing: ['Select'],
  },
  bank_time: bank,
};

export const ALL_CASES = [...Object.keys(REAL_CASES), 'synthetic_wide'];

export type Encoding = 'codes' | 'spec';

export interface BenchData {
  train: { x: Matrix; y: Uint8Array };
  test: { x: Matrix; y: Uint8Array };
  /** Columns holding category codes (the `codes` encoding only). */
  categorical: number[];
}

type Rows = Record<string, unknown>[];

async function readCsv(file: string, delim: string): Promise<Rows> {
  const conn = await openDuckDb();
  try {
    const sql = `SELECT * FROM read_csv(${literal(file)}, all_varchar = true, delim = ${literal(delim)}, header = true)`;
    return await queryRows(conn, sql);
  } finally {
    conn.closeSync();
  }
}

interface ColumnCoding {
  name: string;
  /** Category -> code, most frequent first; null for numeric columns. */
  codes: Map<string, number> | null;
}

/** Numeric when every present training value parses as a number; else categorical codes. */
function fitCoding(rows: Rows, columns: string[], present: (v: unknown) => v is string): ColumnCoding[] {
  return columns.map((name) => {
    const values = rows.map((r) => r[name]).filter(present);
    if (values.every((v) => Number.isFinite(Number(v)))) return { name, codes: null };
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const order = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return { name, codes: new Map(order.map(([v], i) => [v, i])) };
  });
}

function applyCoding(rows: Rows, coding: ColumnCoding[], present: (v: unknown) => v is string): Matrix {
  const cols = coding.length;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, r) => {
    coding.forEach(({ name, codes }, c) => {
      const v = row[name];
      data[r * cols + c] = !present(v) ? NaN : codes ? (codes.get(v) ?? NaN) : Number(v);
    });
  });
  return { rows: rows.length, cols, data };
}

async function codesData(name: string): Promise<BenchData> {
  const spec = REAL_CASES[name]!;
  const dir = path.join(SPLITS, name);
  const trainRows = await readCsv(path.join(dir, `train-${spec.stem}`), spec.delim);
  const testRows = await readCsv(path.join(dir, `test-${spec.stem}`), spec.delim);
  const missing = new Set(spec.missing);
  const present = (v: unknown): v is string => typeof v === 'string' && v !== '' && !missing.has(v);
  // Leads.csv ends every line with a comma: its nameless last column is always empty.
  const columns = Object.keys(trainRows[0] ?? {}).filter(
    (c) => c !== spec.label && !spec.drop.includes(c) && trainRows.some((r) => present(r[c])),
  );
  const coding = fitCoding(trainRows, columns, present);
  const label = (rows: Rows) => Uint8Array.from(rows, (r) => (r[spec.label] === spec.positive ? 1 : 0));
  return {
    train: { x: applyCoding(trainRows, coding, present), y: label(trainRows) },
    test: { x: applyCoding(testRows, coding, present), y: label(testRows) },
    categorical: coding.flatMap((c, i) => (c.codes ? [i] : [])),
  };
}

async function specData(name: string): Promise<BenchData> {
  const spec = REAL_CASES[name]!;
  const dir = path.join(SPLITS, name);
  const loaded = await loadDatasetConfig(path.join(ROOT, 'pipelines/configs', spec.config));
  const train = (await loadLeads(loaded, { data: path.join(dir, `train-${spec.stem}`) })).frame;
  const test = (await loadLeads(loaded, { data: path.join(dir, `test-${spec.stem}`) })).frame;
  // The configs exclude `duration` and the leaking leads columns themselves.
  const fitted = fitFeatureSpec(train, loaded.config.columns, { missingValues: loaded.config.missingValues });
  const label = (f: Frame): Uint8Array => {
    if (!f.label) throw new Error(`${name}: the config names no label column`);
    return f.label;
  };
  return {
    train: { x: encodeFrame(fitted, train), y: label(train) },
    test: { x: encodeFrame(fitted, test), y: label(test) },
    categorical: [],
  };
}

/** 40 uniform numeric and 20 sparse 0/1 columns; labels from a logistic model with one interaction. */
function syntheticWide(rows: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = seededRandom(seed);
  const cols = 60;
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) data[o + c] = c < 40 ? random() * 4 - 2 : random() < 0.2 ? 1 : 0;
    if (random() < 0.05) data[o + 3] = NaN;
    const z = data[o]! - 0.5 * data[o + 1]! + data[o + 2]! * data[o + 5]! + data[o + 40]! - 1;
    y[r] = random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x: { rows, cols, data }, y };
}

/** The matrices of benchmark case `name` in the given encoding. */
export async function benchData(name: string, encoding: Encoding): Promise<BenchData> {
  if (name === 'synthetic_wide') {
    return { train: syntheticWide(33_000, 1), test: syntheticWide(8_000, 2), categorical: [] };
  }
  if (!REAL_CASES[name]) throw new Error(`unknown case ${name}; known: ${ALL_CASES.join(', ')}`);
  return encoding === 'codes' ? codesData(name) : specData(name);
}
