import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import { concatColumns, type Frame, type FrameColumn } from '../../features/frame.ts';
import { splitFrame } from '../../training/index.ts';
import { eventCoverageWarning } from '../features/event-coverage.ts';
import { collectGarbage } from '../io/collect-garbage.ts';
import { assertTwoClasses, type BadRow } from '../io/load-leads.ts';
import { isPointInTime, LabelledChunks, splitColumnName, type LabelledChunksOptions } from './labelled-chunks.ts';
import type { LoadedModel } from './load-model.ts';

/**
 * What scoring a labelled dataset leaves: a few numbers per lead (typed arrays), in file
 * order, of the rows `prepareData` would keep. Enough for the metrics, the report and the
 * held-out split; the leads themselves are gone.
 */
export interface LabelledScores {
  /** The leads file read. */
  source: string;
  rows: number;
  labels: Uint8Array;
  /** The model's calibrated probabilities. */
  probabilities: Float64Array;
  /** Model tier per lead, as an index into the model's tier names. */
  modelTiers: Uint8Array;
  /** The rules' points and tier (index into the engine's tier names); absent without rules. */
  ruleScores?: Float64Array;
  ruleTiers?: Uint8Array;
  /** File row number of each lead. */
  rowNumbers: Float64Array;
  /** The training split's column (time or group), when the split names one. */
  splitColumn?: FrameColumn;
  skipped: BadRow[];
  warnings: string[];
  /** Leads without an event before their asOf; undefined without an events file. */
  withoutEvents?: number;
}

/** The parts of a column, one per chunk, as one array. */
function concat<T extends Float64Array | Uint8Array>(parts: readonly T[], make: (n: number) => T): T {
  const out = make(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Scores a model's labelled dataset (its leads file, or `data`) a chunk at a time with the
 * model and its rules, keeping only the numbers per lead the metrics need: the memory is
 * bounded by the chunk and those arrays. Same rows, labels and scores as `prepareData` then
 * `LeadModel.scoreFrame` on the whole file.
 */
export async function scoreLabelledLeads(m: LoadedModel, options: LabelledChunksOptions = {}): Promise<LabelledScores> {
  const chunks = await LabelledChunks.open(m, options);
  try {
    return await scoreChunks(m, chunks, options);
  } finally {
    chunks.close();
  }
}

/** `scoreLabelledLeads` on chunks already open (left open: a second pass may follow). */
export async function scoreChunks(
  m: LoadedModel,
  chunks: LabelledChunks,
  options: LabelledChunksOptions = {},
): Promise<LabelledScores> {
  const { loaded, model } = m;
  const { config } = loaded;
  const phases = options.phases;
  const splitName = splitColumnName(config.training.split);
  const engine = options.rules === false ? undefined : model.rules?.engine;
  const tierIndex = new Map(model.tierNames.map((t, i) => [t, i]));
  const ruleTierIndex = new Map((engine?.tierNames ?? []).map((t, i) => [t, i]));
  const parts = {
    p: [] as Float64Array[],
    t: [] as Uint8Array[],
    s: [] as Float64Array[],
    rt: [] as Uint8Array[],
    y: [] as Uint8Array[],
    n: [] as Float64Array[],
  };
  const splitParts: FrameColumn[] = [];
  const skipped: BadRow[] = [];
  const warnings: string[] = [];
  const labelsSeen = new Set<string>();
  let withoutEvents = 0;
  let read = 0;
  phases?.phase('scoring');
  for await (const chunk of chunks.chunks()) {
    const { frame, asOf, tally } = chunk;
    skipped.push(...chunk.bad);
    warnings.push(...chunk.warnings);
    chunk.labelsSeen.forEach((v) => labelsSeen.add(v));
    withoutEvents += chunk.withoutEvents;
    read += frame.rowCount + chunk.bad.length;
    if (!frame.label) throw new InputError(`${frame.source}: no label to evaluate against`);
    const scored = await model.scoreFrame(frame, { asOf, eventsByLead: tally, rules: engine !== undefined });
    parts.p.push(Float64Array.from(scored.probability));
    parts.t.push(Uint8Array.from(scored.tier, (t) => tierIndex.get(t)!));
    if (scored.ruleScore) parts.s.push(Float64Array.from(scored.ruleScore));
    if (scored.ruleTier) parts.rt.push(Uint8Array.from(scored.ruleTier, (t) => ruleTierIndex.get(t)!));
    parts.y.push(frame.label);
    parts.n.push(Float64Array.from(frame.rowNumbers));
    if (splitName) {
      const c = frame.columns.find((col) => col.name === splitName);
      if (c) splitParts.push(c);
    }
    phases?.count(Math.min(read, chunks.rowCount), chunks.rowCount, 'leads');
    collectGarbage();
  }
  const labels = concat(parts.y, (n) => new Uint8Array(n));
  // As loadLeads reads a whole file: no rows, or one class, is nothing to evaluate on.
  const labelInFile = (options.requireLabel ?? true) && !isPointInTime(m, true);
  if (read === 0 && labelInFile) throw new InputError(`${chunks.file}: no rows (a header only)`);
  if (labelInFile) {
    const name = 'column' in config.label ? config.label.column : 'outcomes';
    assertTwoClasses({ label: labels, rowCount: labels.length }, chunks.file, name, [...labelsSeen]);
  }
  const probabilities = concat(parts.p, (n) => new Float64Array(n));
  // Events matching almost none of the leads are told, never read as leads that were all quiet.
  const coverage = config.events && eventCoverageWarning(config.events.path, probabilities.length, withoutEvents);
  if (coverage) warnings.push(coverage);
  return {
    source: chunks.file,
    rows: probabilities.length,
    labels,
    probabilities,
    modelTiers: concat(parts.t, (n) => new Uint8Array(n)),
    ...(engine
      ? {
          ruleScores: concat(parts.s, (n) => new Float64Array(n)),
          ruleTiers: concat(parts.rt, (n) => new Uint8Array(n)),
        }
      : {}),
    rowNumbers: concat(parts.n, (n) => new Float64Array(n)),
    ...(splitParts.length > 0 ? { splitColumn: concatColumns(splitParts) } : {}),
    skipped,
    warnings,
    withoutEvents: config.events ? withoutEvents : undefined,
  };
}

/** The rows a model is evaluated on: every row of `--data`, or else the held-out rows of the training data. */
export function evaluatedRows(
  m: LoadedModel,
  scores: LabelledScores,
  data: string | undefined,
): { rows: ArrayLike<number> | null; rowsUsed: 'all' | 'test' | 'validation'; description: string } {
  const { config } = m.loaded;
  const name = path.basename(scores.source);
  if (data) return { rows: null, rowsUsed: 'all', description: `all rows of ${name}` };
  // The stored split re-run with the stored seed, on what it splits on: labels, row numbers, a column.
  const frame: Frame = {
    source: scores.source,
    rowCount: scores.rows,
    ids: [],
    label: scores.labels,
    rowNumbers: Array.from(scores.rowNumbers),
    columns: scores.splitColumn ? [scores.splitColumn] : [],
  };
  const split = splitFrame(frame, config.training.split, config.training.seed);
  const rowsUsed = split.test.length > 0 ? 'test' : 'validation';
  return {
    rows: rowsUsed === 'test' ? split.test : split.validation,
    rowsUsed,
    description: `${rowsUsed} rows of ${name}`,
  };
}
