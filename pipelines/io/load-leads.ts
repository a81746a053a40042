import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import { takeRows, type ColumnType, type Frame, type FrameColumn } from '../../features/frame.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { convertColumn } from './convert-column.ts';
import { labelValues, listValues } from './label-values.ts';
import { readRawTable, type RawTable } from './read-raw-table.ts';
import { readOutcomeWins } from './read-outcomes.ts';
import { postgresColumnTypes } from './postgres-source.ts';

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
  const file = leadsFile(loaded, options.data);
  const raw = await readRawTable(file, {
    format: options.data ? undefined : config.leads.format,
    delimiter: options.data ? undefined : config.leads.delimiter,
    glob: options.data ? undefined : config.leads.glob,
    encoding: config.leads.encoding,
  });
  const requireLabel = options.requireLabel ?? true;
  if (raw.rowNumbers.length === 0 && raw.badRows.length === 0) {
    // A nightly file with no new leads: nothing to score is no error, nothing to learn from is.
    if (requireLabel)
      throw new InputError(`${file}: no rows (${raw.columns.length === 0 ? 'the file is empty' : 'a header only'})`);
    if (raw.columns.length === 0) return { frame: emptyFrame(file), skipped: [], typeSource: {}, warnings: [] };
  }
  checkLeadColumns(loaded, file, raw.columns, requireLabel);
  // A PostgreSQL source's declared types stand where a file's would be inferred.
  const types = await postgresColumnTypes(file);
  const { frame, bad, typeSource, warnings, labelsSeen } = await convertLeads(loaded, raw, { ...options, types });
  const duplicate = findDuplicate(frame.ids, frame.rowNumbers);
  if (duplicate)
    throw new InputError(
      `${file}: duplicate lead id "${duplicate.id}" at rows ${duplicate.first} and ${duplicate.second}`,
    );
  throwBadRows(file, bad, options.skipBadRows);
  const kept = keepGoodRows(frame, bad);
  if (kept.label && requireLabel)
    assertTwoClasses(kept, file, 'column' in config.label ? config.label.column : 'outcomes', labelsSeen);
  return { frame: kept, skipped: bad, typeSource, warnings };
}

/** The leads file to read: `data` when given, else the config's. */
export function leadsFile(loaded: LoadedConfig, data?: string): string {
  return data ? path.resolve(data) : loaded.config.leads.path;
}

/** Checks that the columns a config names are in a leads file's header (`header`). */
export function checkLeadColumns(
  loaded: LoadedConfig,
  file: string,
  header: readonly string[],
  requireLabel: boolean,
): void {
  const { config } = loaded;
  const index = new Set(header);
  const configName = path.basename(loaded.file);
  for (const [key, names] of [
    ['columns', Object.keys(config.columns)],
    ['exclude', Object.keys(config.exclude)],
  ] as const) {
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
}

export interface ConvertOptions extends LoadOptions {
  /** Types of columns the config does not declare (e.g. from a model's feature spec); inferred from the rows otherwise. */
  types?: ReadonlyMap<string, ColumnType>;
  /** Convert only these columns (besides the id and the label); default all. */
  only?: ReadonlySet<string>;
}

/** Raw leads rows converted: a frame of every row, and the rows that failed (`bad`, sorted) for the caller to refuse or drop (keepGoodRows). */
export interface ConvertedLeads {
  frame: Frame;
  bad: BadRow[];
  typeSource: Record<string, 'config' | 'inferred'>;
  warnings: string[];
  /** Distinct label values seen (for the one-class message). */
  labelsSeen: string[];
}

/** Converts raw leads rows (all of a file, or a chunk of it: see RawChunks) into a frame. */
export async function convertLeads(
  loaded: LoadedConfig,
  raw: RawTable,
  options: ConvertOptions = {},
): Promise<ConvertedLeads> {
  const { config } = loaded;
  const file = raw.file;
  applyMissingTokens(raw, config.missingValues);
  const bad: BadRow[] = [...raw.badRows];
  const index = new Map(raw.columns.map((c, i) => [c, i]));
  const configName = path.basename(loaded.file);
  const requireLabel = options.requireLabel ?? true;
  const labelColumn = 'column' in config.label ? config.label.column : undefined;

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

  const skipColumns = new Set([
    config.idColumn,
    labelColumn,
    ...(options.keepExcluded ? [] : Object.keys(config.exclude)),
  ]);
  const columns: FrameColumn[] = [];
  const typeSource: Record<string, 'config' | 'inferred'> = {};
  const warnings: string[] = [];
  raw.columns.forEach((name, c) => {
    if (skipColumns.has(name) || (options.only && !options.only.has(name))) return;
    const spec = config.columns[name];
    const { column, errors, readAsMissing } = convertColumn(
      name,
      raw.values[c]!,
      spec?.type ?? options.types?.get(name),
      spec?.format,
      raw.numbers?.[c],
    );
    errors.forEach((e) => bad.push({ row: raw.rowNumbers[e.index]!, reason: e.reason }));
    if (readAsMissing.length > 0)
      warnings.push(
        describeReadAsMissing(
          name,
          readAsMissing.map((e) => ({ row: raw.rowNumbers[e.index]!, value: raw.values[c]![e.index]! })),
        ),
      );
    columns.push(column);
    typeSource[name] = spec ? 'config' : 'inferred';
  });
  bad.sort((a, b) => a.row - b.row);
  const frame: Frame = {
    source: file,
    rowCount,
    ids: ids.map((id) => id ?? ''),
    label,
    rowNumbers: raw.rowNumbers,
    columns,
  };
  return { frame, bad, typeSource, warnings, labelsSeen };
}

/** Throws an InputError listing `bad` rows of `file`, unless there are none or they may be skipped. */
export function throwBadRows(file: string, bad: BadRow[], skipBadRows?: boolean): void {
  if (bad.length > 0 && !skipBadRows)
    throw new InputError(`${file}: ${describeBadRows(bad)} (use --skip-bad-rows to skip them)`);
}

/** The frame without its `bad` rows. */
export function keepGoodRows(frame: Frame, bad: BadRow[]): Frame {
  if (bad.length === 0) return frame;
  const badSet = new Set(bad.map((b) => b.row));
  const keep = frame.rowNumbers.flatMap((row, r) => (badSet.has(row) ? [] : [r]));
  return keep.length === frame.rowCount ? frame : takeRows(frame, keep);
}

function emptyFrame(file: string): Frame {
  return { source: file, rowCount: 0, ids: [], rowNumbers: [], columns: [] };
}

function applyMissingTokens(raw: RawTable, tokens: string[]): void {
  if (tokens.length === 0) return;
  const missing = new Set(tokens);
  for (const col of raw.values)
    for (let r = 0; r < col.length; r++) if (col[r] !== null && missing.has(col[r]!.trim())) col[r] = null;
}

/** "3 malformed rows: row 3: Expected..., row 5: ..." with at most `listed` rows spelled out. */
export function describeBadRows(bad: BadRow[]): string {
  const shown = bad
    .slice(0, listed)
    .map((b) => `row ${b.row}: ${b.reason}`)
    .join('; ');
  const more = bad.length > listed ? `; and ${bad.length - listed} more` : '';
  return `${bad.length} bad row${bad.length === 1 ? '' : 's'}: ${shown}${more}`;
}

/** The first id two rows share (null and empty ids do not count), with both rows' numbers. */
export function findDuplicate(
  ids: readonly (string | null)[],
  rows: readonly number[],
): { id: string; first: number; second: number } | undefined {
  const seen = new Map<string, number>();
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    if (id === null || id === undefined || id === '') continue;
    const before = seen.get(id);
    if (before !== undefined) return { id, first: rows[before]!, second: rows[r]! };
    seen.set(id, r);
  }
  return undefined;
}

/** Refuses labels of one class, listing the values seen (`seen`). */
export function assertTwoClasses(
  frame: Pick<Frame, 'label' | 'rowCount'>,
  file: string,
  label: string,
  seen: string[],
): void {
  let positives = 0;
  for (const v of frame.label!) positives += v;
  if (positives === 0 || positives === frame.rowCount) {
    const which = positives === 0 ? 'negative' : 'positive';
    const values = seen.length > 0 ? ` (values seen: ${listValues(seen)})` : '';
    throw new InputError(
      `${file}: label "${label}" has one class only: all ${frame.rowCount} rows are ${which}${values}`,
    );
  }
}

/** `column "x": 2 cells are not a number, read as missing: row 4 "NaN", row 9 "1,5"`. */
function describeReadAsMissing(column: string, cells: { row: number; value: string }[]): string {
  const values = cells.slice(0, listed).map((c) => `row ${c.row} ${JSON.stringify(c.value)}`);
  const more = cells.length > listed ? ` and ${cells.length - listed} more` : '';
  return `column "${column}": ${cells.length} cell${cells.length === 1 ? ' is' : 's are'} not a number, read as missing: ${values.join(', ')}${more}`;
}
