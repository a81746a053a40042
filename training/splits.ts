/**
 * Row splits for training and evaluation, as index arrays into the loaded rows. Every
 * index array is in ascending row order, parts never overlap, and the same inputs and
 * seed always give the same split.
 */

import { InputError } from '../features/errors.ts';
import { seededRandom, shuffleInPlace } from './random.ts';

/** Shares of rows held out; training gets the rest. */
export interface HoldoutFractions {
  /** Share for validation (early stopping, calibration, tier thresholds), in [0, 1). */
  validation: number;
  /** Share for the final test metrics, in [0, 1). */
  test: number;
}

/** Row indices of the three parts. */
export interface SplitIndices {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

/** One fold of cross-validation or backtesting. */
export interface Fold {
  train: Uint32Array;
  test: Uint32Array;
}

/** Options naming the time values in messages. */
export interface TimeOptions {
  /** What the times are (a column name, or "file order"), for error messages. Default "time". */
  name?: string;
}

const TRAIN = 0;
const VALIDATION = 1;
const TEST = 2;

function checkFractions(f: HoldoutFractions): void {
  const ok = (x: number) => Number.isFinite(x) && x >= 0 && x < 1;
  if (!ok(f.validation) || !ok(f.test) || f.validation + f.test >= 1) {
    throw new RangeError(
      `holdout fractions must be in [0, 1) and sum below 1, got validation ${f.validation}, test ${f.test}`,
    );
  }
}

/** Ascending row indices per part, from a per-row part code. */
function partsOf(part: Uint8Array): SplitIndices {
  const counts = [0, 0, 0];
  for (const p of part) counts[p]!++;
  const out = [new Uint32Array(counts[0]!), new Uint32Array(counts[1]!), new Uint32Array(counts[2]!)] as const;
  const fill = [0, 0, 0];
  for (let i = 0; i < part.length; i++) {
    const p = part[i]!;
    out[p as 0 | 1 | 2][fill[p]!++] = i;
  }
  return { train: out[TRAIN], validation: out[VALIDATION], test: out[TEST] };
}

/** Row indices of each label value (0 then 1). */
function rowsByClass(labels: ArrayLike<number>): [Uint32Array, Uint32Array] {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
  const neg = new Uint32Array(labels.length - positives);
  const pos = new Uint32Array(positives);
  let n = 0;
  let p = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]) pos[p++] = i;
    else neg[n++] = i;
  }
  return [neg, pos];
}

/**
 * Stratified random split: each class is shuffled with `seed` and cut by the fractions
 * (rounded per class), so every part keeps the overall conversion rate.
 */
export function stratifiedSplit(labels: ArrayLike<number>, fractions: HoldoutFractions, seed: number): SplitIndices {
  checkFractions(fractions);
  const random = seededRandom(seed);
  const part = new Uint8Array(labels.length);
  for (const rows of rowsByClass(labels)) {
    shuffleInPlace(rows, random);
    const nTest = Math.round(rows.length * fractions.test);
    const nValidation = Math.min(rows.length - nTest, Math.round(rows.length * fractions.validation));
    for (let k = 0; k < nTest; k++) part[rows[k]!] = TEST;
    for (let k = nTest; k < nTest + nValidation; k++) part[rows[k]!] = VALIDATION;
  }
  return partsOf(part);
}

/** Row indices sorted by time, oldest first; ties keep row order. Missing times are an InputError. */
function timeOrder(times: ArrayLike<number | null>, options: TimeOptions): Uint32Array {
  const name = options.name ?? 'time';
  let missing = 0;
  let first = -1;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (t === null || t === undefined || !Number.isFinite(t)) {
      missing++;
      if (first < 0) first = i;
    }
  }
  if (missing > 0) {
    throw new InputError(
      `${name}: ${missing} of ${times.length} rows have no time value (first at row index ${first}); a time split needs one on every row`,
      {
        missing,
        firstRowIndex: first,
      },
    );
  }
  const order = Uint32Array.from({ length: times.length }, (_, i) => i);
  return order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
}

/**
 * Split by time: rows sorted by `times` (oldest first, ties in row order); the oldest go to
 * training, the next `validation` share to validation, the newest `test` share to test.
 * Rows with equal times may fall on both sides of a boundary.
 */
export function timeSplit(
  times: ArrayLike<number | null>,
  fractions: HoldoutFractions,
  options: TimeOptions = {},
): SplitIndices {
  checkFractions(fractions);
  const order = timeOrder(times, options);
  const n = order.length;
  const nTest = Math.round(n * fractions.test);
  const nValidation = Math.min(n - nTest, Math.round(n * fractions.validation));
  const part = new Uint8Array(n);
  for (let k = n - nTest; k < n; k++) part[order[k]!] = TEST;
  for (let k = n - nTest - nValidation; k < n - nTest; k++) part[order[k]!] = VALIDATION;
  return partsOf(part);
}

/**
 * Split by group (an account or company column): whole groups go to one part, so leads of
 * the same account never sit on both sides. Groups are shuffled with `seed` and dealt to
 * test, then validation, until each holds its share of rows (overshooting by at most one
 * group); the rest train. A row without a group is a group of its own.
 */
export function groupSplit(groups: ArrayLike<string | null>, fractions: HoldoutFractions, seed: number): SplitIndices {
  checkFractions(fractions);
  const n = groups.length;
  const rowsOf = new Map<string, number[]>();
  const order: number[][] = [];
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    if (g === null || g === undefined) {
      order.push([i]);
      continue;
    }
    let rows = rowsOf.get(g);
    if (!rows) {
      rows = [];
      rowsOf.set(g, rows);
      order.push(rows);
    }
    rows.push(i);
  }
  const random = seededRandom(seed);
  for (let k = order.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    [order[k], order[j]] = [order[j]!, order[k]!];
  }
  const wantTest = Math.round(n * fractions.test);
  const wantValidation = Math.round(n * fractions.validation);
  const part = new Uint8Array(n);
  let test = 0;
  let validation = 0;
  for (const rows of order) {
    let p = TRAIN;
    if (test < wantTest) {
      p = TEST;
      test += rows.length;
    } else if (validation < wantValidation) {
      p = VALIDATION;
      validation += rows.length;
    }
    for (const i of rows) part[i] = p;
  }
  return partsOf(part);
}

/** Folds from a per-row fold number: fold j tests its own rows and trains on all others. */
function foldsOf(foldOf: Uint8Array | Uint16Array, k: number): Fold[] {
  const folds: Fold[] = [];
  for (let j = 0; j < k; j++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < foldOf.length; i++) (foldOf[i] === j ? test : train).push(i);
    folds.push({ train: Uint32Array.from(train), test: Uint32Array.from(test) });
  }
  return folds;
}

/**
 * Stratified k-fold cross-validation: each class is shuffled with `seed` and dealt to the
 * folds in turn, so fold sizes differ by at most one and each keeps the conversion rate.
 * Needs at least `k` rows of each class.
 */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed: number): Fold[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k-fold needs an integer k >= 2, got ${k}`);
  const [neg, pos] = rowsByClass(labels);
  if (pos.length < k || neg.length < k) {
    throw new InputError(
      `cannot make ${k} stratified folds from ${pos.length} positives and ${neg.length} negatives: each class needs at least ${k} rows`,
      {
        positives: pos.length,
        negatives: neg.length,
        folds: k,
      },
    );
  }
  const random = seededRandom(seed);
  const foldOf = new Uint16Array(labels.length);
  // Carry the dealing position across classes so the folds end up the same size.
  let next = 0;
  for (const rows of [neg, pos]) {
    shuffleInPlace(rows, random);
    for (const i of rows) {
      foldOf[i] = next;
      next = (next + 1) % k;
    }
  }
  return foldsOf(foldOf, k);
}

/** Settings of rolling-origin (backtest) folds. */
export interface RollingOriginOptions extends TimeOptions {
  /** Number of folds (test windows). Default 5. */
  folds?: number;
  /** Share of rows (oldest) in the first training window, in (0, 1). Default 0.5. */
  initialTrainFraction?: number;
  /** `expanding`: train on everything before the test window; `sliding`: only the latest window of the initial size. Default expanding. */
  window?: 'expanding' | 'sliding';
}

/**
 * Rolling-origin folds for backtests: rows sorted by time; after an initial training
 * window, the remaining rows are cut into `folds` consecutive test windows (the last one
 * takes any remainder), each trained on the rows before it.
 */
export function rollingOriginFolds(times: ArrayLike<number | null>, options: RollingOriginOptions = {}): Fold[] {
  const k = options.folds ?? 5;
  const initialFraction = options.initialTrainFraction ?? 0.5;
  const window = options.window ?? 'expanding';
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`rolling-origin folds must be a positive integer, got ${k}`);
  if (!(initialFraction > 0 && initialFraction < 1))
    throw new RangeError(`initialTrainFraction must be in (0, 1), got ${initialFraction}`);
  const order = timeOrder(times, options);
  const n = order.length;
  const initial = Math.round(n * initialFraction);
  const testSize = Math.floor((n - initial) / k);
  if (initial < 1 || testSize < 1) {
    throw new InputError(
      `cannot make ${k} rolling-origin folds from ${n} rows with an initial training share of ${initialFraction}`,
      { rows: n, folds: k },
    );
  }
  const sortedSlice = (from: number, to: number) => order.slice(from, to).sort();
  const folds: Fold[] = [];
  for (let j = 0; j < k; j++) {
    const trainEnd = initial + j * testSize;
    const testEnd = j === k - 1 ? n : trainEnd + testSize;
    const trainStart = window === 'sliding' ? trainEnd - initial : 0;
    folds.push({ train: sortedSlice(trainStart, trainEnd), test: sortedSlice(trainEnd, testEnd) });
  }
  return folds;
}
