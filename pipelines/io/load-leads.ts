import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import { takeRows, type Frame, type FrameColumn } from '../../features/frame.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { convertColumn } from './convert-column.ts';
import { labelValues, listValues } from './label-values.ts';
import { readRawTable, type RawTable } from './read-raw-table.ts';
import { readOutcomeWins } from './read-outcomes.ts';

export interface LoadOptions {
  /** Read this file instead of the config's leads file (same schema). */
  data?: string;
  /** Skip malformed rows (reported in `skipped`) instead of failing. Default false. */
  skipBadRows?: boolean;
  /** Fail when the label column is absent. Default true; scoring input may lack it. */
  requireLabel?: boolean;
  /** Keep excluded columns in the frame (the profile shows them, marked). Default false. */
  keepExcluded?: boolean;
}

export interface BadRow {
  row: number;
  reason: string;
}

export interface LoadResult {
  frame: Frame;
  /** Rows left out under skipBadRows, with why. */
  skipped: BadRow[];
  /** For each feature column: whether its type came from the config or was inferred. */
  typeSource: Record<string, 'config' | 'inferred'>;
  /** What was read in a way worth telling (cells of an inferred numeric column read as missing). */
  warnings: string[];
}

/** How many bad rows a message lists before "and N more". */
const listed = 5;

/**
 * Loads the leads file of a dataset config into a typed Frame: missing tokens, declared or
 * inferred column types, exclusions, the id and the label. Bad input throws an InputError
 * naming the file and the rows or field; with `skipBadRows` bad rows are reported instead.
 */
export async function loadLeads(loaded: LoadedConfig, options: LoadOptions = {}): Promise<LoadResult> {
  const { config } = loaded;
  const file = options.data ? path.resolve(options.data) : config.leads.path;
  const raw = await readRawTable(file, {
    format: options.data ? undefined : config.leads.format,
    delimiter: options.data ? undefined : config.leads.delimiter,
  });
  const requireLabel = options.requireLabel ?? true;
  if (raw.rowNumbers.length === 0 && raw.badRows.length === 0) {
    // A nightly file with no new leads: nothing to score is no error, nothing to learn from is.
    if (requireLabel) throw new InputError(`${file}: no rows (${raw.columns.length === 0 ? 'the file is empty' : 'a header only'})`);
    if (raw.columns.length === 0) return { frame: emptyFrame(file), skipped: [], typeSource: {}, warnings: [] };
  }
  applyMissingTokens(raw, config.missingValues);
  const bad: BadRow[] = [...raw.badRows];
  const index = new Map(raw.columns.map((c, i) => [c, i]));
  const configName = path.basename(loaded.file);

  for (const [key, names] of [['columns', Object.keys(config.columns)], ['exclude', Object.keys(config.exclude)]] as const) {
    for (const name of names) {
      if (!index.has(name)) throw new InputError(`${configName}: ${key}.${name}: no column "${name}" in ${file}`);
    }
  }
  if (config.idColumn !== undefined && !index.has(config.idColumn)) {
    throw new InputError(`${file}: id column "${config.idColumn}" not found (idColumn in ${configName})`);
  }
  const labelColumn = 'column' in config.label ? config.label.column : undefined;
  if (labelColumn !== undefined && requireLabel && !index.has(labelColumn)) {
    throw new InputError(`${file}: label column "${labelColumn}" not found (label.column in ${configName})`);
  }

  const rowCount = raw.rowNumbers.length;
  const ids = config.idColumn !== undefined ? raw.values[index.get(config.idColumn)!]! : raw.rowNumbers.map(String);
  ids.forEach((id, r) => {
    if (id === null) bad.push({ row: raw.rowNumbers[r]!, reason: `id column "${config.idColumn}" is empty` });
  });

  let label: Uint8Array | undefined;
  let labelsSeen: string[] = [];
  if (labelColumn !== undefined && 'column' in config.label && index.has(labelColumn)) {
    const read = labelValues(raw.values[index.get(labelColumn)!]!, config.label, file, requireLabel);
    read.bad.forEach((b) => bad.push({ row: raw.rowNumbers[b.index]!, reason: b.reason }));
    ({ label, seen: labelsSeen } = read);
  } else if ('fromOutcomes' in config.label && requireLabel) {
    if (!config.outcomes) throw new InputError(`${configName}: label.fromOutcomes needs an outcomes: section`);
    const wins = await readOutcomeWins(config.outcomes);
    label = Uint8Array.from(ids, (id) => (id !== null && wins.has(id) ? 1 : 0));
  }

  const skipColumns = new Set([config.idColumn, labelColumn, ...(options.keepExcluded ? [] : Object.keys(config.exclude))]);
  const columns: FrameColumn[] = [];
  const typeSource: Record<string, 'config' | 'inferred'> = {};
  const warnings: string[] = [];
  raw.columns.forEach((name, c) => {
    if (skipColumns.has(name)) return;
    const spec = config.columns[name];
    const { column, errors, readAsMissing } = convertColumn(name, raw.values[c]!, spec?.type, spec?.format);
    errors.forEach((e) => bad.push({ row: raw.rowNumbers[e.index]!, reason: e.reason }));
    if (readAsMissing.length > 0) warnings.push(describeReadAsMissing(name, readAsMissing.map((e) => ({ row: raw.rowNumbers[e.index]!, value: raw.values[c]![e.index]! }))));
    columns.push(column);
    typeSource[name] = spec ? 'config' : 'inferred';
  });

  const duplicate = findDuplicate(ids, raw.rowNumbers);
  if (duplicate) throw new InputError(`${file}: duplicate lead id "${duplicate.id}" at rows ${duplicate.first} and ${duplicate.second}`);

  bad.sort((a, b) => a.row - b.row);
  if (bad.length > 0 && !options.skipBadRows) throw new InputError(`${file}: ${describeBadRows(bad)} (use --skip-bad-rows to skip them)`);

  const badSet = new Set(bad.map((b) => b.row));
  const keep = raw.rowNumbers.flatMap((row, r) => (badSet.has(row) ? [] : [r]));
  const all: Frame = { source: file, rowCount, ids: ids.map((id) => id ?? ''), label, rowNumbers: raw.rowNumbers, columns };
  const frame = keep.length === rowCount ? all : takeRows(all, keep);
  if (frame.label && requireLabel) assertTwoClasses(frame, file, labelColumn ?? 'outcomes', labelsSeen);
  return { frame, skipped: bad, typeSource, warnings };
}

function emptyFrame(file: string): Frame {
  return { source: file, rowCount: 0, ids: [], rowNumbers: [], columns: [] };
}

function applyMissingTokens(raw: RawTable, tokens: string[]): void {
  if (tokens.length === 0) return;
  const missing = new Set(tokens);
  for (const col of raw.values) for (let r = 0; r < col.length; r++) if (col[r] !== null && missing.has(col[r]!.trim())) col[r] = null;
}

/** "3 malformed rows: row 3: Expected..., row 5: ..." with at most `listed` rows spelled out. */
export function describeBadRows(bad: BadRow[]): string {
  const shown = bad.slice(0, listed).map((b) => `row ${b.row}: ${b.reason}`).join('; ');
  const more = bad.length > listed ? `; and ${bad.length - listed} more` : '';
  return `${bad.length} bad row${bad.length === 1 ? '' : 's'}: ${shown}${more}`;
}

function findDuplicate(ids: (string | null)[], rows: number[]): { id: string; first: number; second: number } | undefined {
  const seen = new Map<string, number>();
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    if (id === null || id === undefined) continue;
    const before = seen.get(id);
    if (before !== undefined) return { id, first: rows[before]!, second: rows[r]! };
    seen.set(id, r);
  }
  return undefined;
}

function assertTwoClasses(frame: Frame, file: string, label: string, seen: string[]): void {
  let positives = 0;
  for (const v of frame.label!) positives += v;
  if (positives === 0 || positives === frame.rowCount) {
    const which = positives === 0 ? 'negative' : 'positive';
    const values = seen.length > 0 ? ` (values seen: ${listValues(seen)})` : '';
    throw new InputError(`${file}: label "${label}" has one class only: all ${frame.rowCount} rows are ${which}${values}`);
  }
}

/** `column "x": 2 cells are not a number, read as missing: row 4 "NaN", row 9 "1,5"`. */
function describeReadAsMissing(column: string, cells: { row: number; value: string }[]): string {
  const values = cells.slice(0, listed).map((c) => `row ${c.row} ${JSON.stringify(c.value)}`);
  const more = cells.length > listed ? ` and ${cells.length - listed} more` : '';
  return `column "${column}": ${cells.length} cell${cells.length === 1 ? ' is' : 's are'} not a number, read as missing: ${values.join(', ')}${more}`;
}
