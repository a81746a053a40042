import { cellAt, columnCells, sortedNumbers, type Frame, type FrameColumn } from '../../features/frame.ts';
import { rocAuc } from './rank-auc.ts';

export interface ColumnProfile {
  name: string;
  type: FrameColumn['type'];
  typeSource: 'config' | 'inferred';
  /** Set when the config excludes the column; it is profiled anyway so leaks show. */
  excluded?: string;
  missingShare: number;
  distinct: number;
  top: { value: string; count: number }[];
  /** How well the column alone ranks the label (0.5 = not at all), out-of-fold for categories. */
  labelAuc?: number;
}

export interface ProfileWarning {
  column: string;
  kind: 'identifier' | 'constant' | 'leak';
  message: string;
  figure: number;
}

export interface DataProfile {
  file: string;
  rows: number;
  positiveRate: number | null;
  skippedRows: number;
  columns: ColumnProfile[];
  warnings: ProfileWarning[];
}

export interface ProfileOptions {
  typeSource: Record<string, 'config' | 'inferred'>;
  excluded: Record<string, string>;
  skippedRows?: number;
  /** Top values listed per column. Default 5. */
  topValues?: number;
}

/** A column that alone ranks the label at least this well is a leak suspect. */
export const leakAuc = 0.9;
/** A column filled almost only for positives: this share of its filled rows converted. */
export const leakFilledPositiveShare = 0.95;
const folds = 5;

/** Rows, label rate, per-column summaries and warnings (identifiers, constants, leak suspects). */
export function profileFrame(frame: Frame, options: ProfileOptions): DataProfile {
  const label = frame.label;
  const positives = label ? label.reduce((a, b) => a + b, 0) : 0;
  const positiveRate = label && frame.rowCount > 0 ? positives / frame.rowCount : null;
  const columns: ColumnProfile[] = [];
  const warnings: ProfileWarning[] = [];
  for (const column of frame.columns) {
    const p = profileColumn(column, frame.rowCount, options.topValues ?? 5);
    const profile: ColumnProfile = { ...p, typeSource: options.typeSource[column.name] ?? 'inferred' };
    const reason = options.excluded[column.name];
    if (reason !== undefined) profile.excluded = reason;
    const filled = frame.rowCount * (1 - p.missingShare);
    const identifierLike = filled > 20 && p.distinct === filled && column.type !== 'boolean' && !isContinuous(column);
    if (identifierLike) {
      warnings.push({
        column: column.name,
        kind: 'identifier',
        message: `every filled value is distinct (${p.distinct})`,
        figure: p.distinct,
      });
    } else if (p.distinct <= 1) {
      warnings.push({
        column: column.name,
        kind: 'constant',
        message: `only ${p.distinct} distinct value`,
        figure: p.distinct,
      });
    } else if (label && positiveRate !== null && positiveRate > 0 && positiveRate < 1) {
      const auc = columnAuc(column, label);
      profile.labelAuc = round(auc);
      if (auc >= leakAuc) {
        warnings.push({
          column: column.name,
          kind: 'leak',
          message: `alone ranks the label with ROC AUC ${auc.toFixed(3)}`,
          figure: round(auc),
        });
      } else {
        const share = filledPositiveShare(column, label);
        if (
          share !== undefined &&
          share >= leakFilledPositiveShare &&
          positiveRate < leakFilledPositiveShare &&
          p.missingShare > 0.05
        ) {
          warnings.push({
            column: column.name,
            kind: 'leak',
            message: `filled almost only for converted leads (${(share * 100).toFixed(1)} % of its filled rows converted)`,
            figure: round(share),
          });
        }
      }
    }
    columns.push(profile);
  }
  return {
    file: frame.source,
    rows: frame.rowCount,
    positiveRate: positiveRate === null ? null : round(positiveRate),
    skippedRows: options.skippedRows ?? 0,
    columns,
    warnings,
  };
}

function profileColumn(column: FrameColumn, rows: number, topN: number): Omit<ColumnProfile, 'typeSource'> {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of columnCells(column)) {
    if (v === null) {
      missing++;
      continue;
    }
    const key = column.type === 'timestamp' ? new Date(v as number).toISOString() : String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, topN)
    .map(([value, count]) => ({ value, count }));
  return {
    name: column.name,
    type: column.type,
    missingShare: rows ? round(missing / rows) : 0,
    distinct: counts.size,
    top,
  };
}

/** Numeric and timestamp columns with fractional or time values are measurements, not identifiers. */
function isContinuous(column: FrameColumn): boolean {
  if (column.type === 'timestamp') return true;
  if (column.type !== 'numeric') return false;
  return column.values.some((v) => !Number.isNaN(v) && !Number.isInteger(v));
}

/**
 * Numeric columns rank by value (missing scored as the median), in whichever direction is
 * better; others by their category's positive rate learned out of fold, so a column with
 * many rare values cannot rank the label just by memorising it.
 */
function columnAuc(column: FrameColumn, label: Uint8Array): number {
  const n = label.length;
  const scores = new Float64Array(n);
  if (column.type === 'numeric' || column.type === 'timestamp') {
    const present = sortedNumbers(column.values);
    const median = present[Math.floor(present.length / 2)] ?? 0;
    column.values.forEach((v, i) => (scores[i] = Number.isNaN(v) ? median : v));
    const auc = rocAuc(label, scores);
    return Math.max(auc, 1 - auc);
  }
  const key = (i: number) => String(cellAt(column, i) ?? '\u0000missing');
  const stats = Array.from({ length: folds }, () => new Map<string, [number, number]>());
  for (let i = 0; i < n; i++) {
    const m = stats[i % folds]!;
    const s = m.get(key(i)) ?? [0, 0];
    s[0] += label[i]!;
    s[1] += 1;
    m.set(key(i), s);
  }
  const prior = label.reduce((a, b) => a + b, 0) / n;
  for (let i = 0; i < n; i++) {
    let pos = 0;
    let cnt = 0;
    stats.forEach((m, f) => {
      if (f === i % folds) return;
      const s = m.get(key(i));
      if (s) {
        pos += s[0];
        cnt += s[1];
      }
    });
    scores[i] = (pos + prior) / (cnt + 1);
  }
  return rocAuc(label, scores);
}

function filledPositiveShare(column: FrameColumn, label: Uint8Array): number | undefined {
  let filled = 0;
  let pos = 0;
  for (let i = 0; i < column.values.length; i++) {
    if (cellAt(column, i) === null) continue;
    filled++;
    pos += label[i]!;
  }
  return filled >= 20 ? pos / filled : undefined;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
