import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import type { TextEncoding } from '../../features/feature-config.ts';
import { literal } from './duckdb.ts';
import { utf8Path } from './utf8-copy.ts';
import { hasGlob, literalPath } from './literal-path.ts';

export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'jsonl';

const byExtension: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.txt': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
};

/** The format of `file`: the declared one, else from its extension (`.csv.gz` counts as `.csv`). */
export function detectFormat(file: string, declared?: DataFormat): DataFormat {
  if (declared) return declared;
  const base = file.toLowerCase().replace(/\.(gz|zst)$/, '');
  const format = byExtension[path.extname(base)];
  if (!format) {
    throw new InputError(
      `${file}: unknown data format "${path.extname(base) || '(no extension)'}"; expected .csv, .tsv, .parquet or .jsonl (or set format: in the config)`,
    );
  }
  return format;
}

/** Throws an InputError unless `file` exists and is a regular file (a `glob` pattern is left to DuckDB). */
export function assertReadable(file: string, glob = false): void {
  if (glob && hasGlob(file)) return;
  if (!existsSync(file)) throw new InputError(`${file}: file not found`);
  if (!statSync(file).isFile()) throw new InputError(`${file}: not a file`);
}

export interface TableSourceOptions {
  /** CSV delimiter; sniffed when absent. */
  delimiter?: string;
  /** CSV only: read every column as text (the leads loader converts types itself). Default false. */
  allVarchar?: boolean;
  /** Keep malformed CSV rows in DuckDB's reject tables instead of failing the scan. Default false. */
  storeRejects?: boolean;
  /** Read `file` as a glob pattern (`leads-*.csv`). Default false: the path is the one file it names. */
  glob?: boolean;
  /** Text encoding of a CSV, TSV or JSON Lines file; others are converted to a UTF-8 copy first. Default UTF-8. */
  encoding?: TextEncoding;
  /** CSV: columns read as text whatever they look like (times in a declared format). Default none. */
  textColumns?: readonly string[];
}

/**
 * A DuckDB FROM-clause expression reading `file` (read_csv / read_parquet / read_json),
 * e.g. `SELECT lead_id, count(*) FROM ${tableSourceSql(f)} GROUP BY 1`.
 */
export function tableSourceSql(file: string, format?: DataFormat, options: TableSourceOptions = {}): string {
  const f = detectFormat(file, format);
  const converted = f !== 'parquet' && options.encoding !== undefined && options.encoding !== 'utf-8';
  if (converted && options.glob)
    throw new InputError(
      `${file}: encoding: ${options.encoding} cannot be read with glob: true; convert the files to UTF-8`,
    );
  const p = literal(converted ? utf8Path(file, options.encoding) : options.glob ? file : literalPath(file));
  if (f === 'parquet') return `read_parquet(${p})`;
  if (f === 'jsonl') return `read_json(${p}, format = 'newline_delimited')`;
  const args = [p, 'header = true'];
  if (f === 'tsv') args.push(`delim = ${literal('\t')}`);
  else if (options.delimiter) args.push(`delim = ${literal(options.delimiter)}`);
  if (options.allVarchar) args.push('all_varchar = true');
  else if (options.textColumns?.length)
    args.push(`types = {${options.textColumns.map((c) => `${literal(c)}: 'VARCHAR'`).join(', ')}}`);
  if (options.storeRejects) args.push('store_rejects = true');
  return `read_csv(${args.join(', ')})`;
}
