import path from 'node:path';
import { splitFrame, type ModelRulesComparison } from '../../training/index.ts';
import type { BadRow } from '../io/load-leads.ts';
import { compareOnRows } from '../train/fit-lead-model.ts';
import { prepareData } from '../train/prepare-data.ts';
import type { LoadedModel } from './load-model.ts';

export interface EvaluateOptions {
  /** Evaluate on every row of this file; default: the held-out test rows of the training data. */
  data?: string;
  skipBadRows?: boolean;
}

export interface Evaluation {
  version: string;
  source: string;
  rowsUsed: 'all' | 'test' | 'validation';
  comparison: ModelRulesComparison;
  skipped: BadRow[];
}

/**
 * Model and rules on the same labelled rows: every row of `--data`, or else the training
 * data's held-out rows, found again by re-running the stored split with the stored seed.
 */
export async function runEvaluate(m: LoadedModel, options: EvaluateOptions = {}): Promise<Evaluation> {
  const { config } = m.loaded;
  const data = await prepareData(m.loaded, { data: options.data, skipBadRows: options.skipBadRows });
  let rows: ArrayLike<number> | null = null;
  let rowsUsed: Evaluation['rowsUsed'] = 'all';
  if (!options.data) {
    const split = splitFrame(data.frame, config.training.split, config.training.seed);
    rowsUsed = split.test.length > 0 ? 'test' : 'validation';
    rows = rowsUsed === 'test' ? split.test : split.validation;
  }
  const source = `${rowsUsed === 'all' ? 'all' : rowsUsed} rows of ${path.basename(data.frame.source)}`;
  const comparison = await compareOnRows(m.model, data, rows, source, config.training);
  return { version: m.model.version, source: data.frame.source, rowsUsed, comparison, skipped: data.skipped };
}
