import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import { eventAggregateOptions } from '../../features/event-options.ts';
import type { AsOfConfig } from '../../features/feature-config.ts';
import { takeRows, type Frame, type FrameColumn } from '../../features/frame.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { openDuckDb } from '../io/duckdb.ts';
import { aggregateFrameColumns, batchEventAggregates } from './batch-event-aggregates.ts';
import { readFirstWins } from './read-first-wins.ts';

const DAY_MS = 86_400_000;

/** A point-in-time training set: each row's features are as of its `asOf`, its label after it. */
export interface PointInTimeSet {
  /** Kept rows, with the label recomputed from outcomes (label.fromOutcomes) and the event aggregate columns appended. */
  frame: Frame;
  /** Epoch ms per frame row: the time the row's features are taken at. */
  asOf: Float64Array;
  /** Leads left out: already converted at asOf, or without an asOf (empty asOf column). */
  left: { convertedBefore: number; noAsOf: number };
  /** Kept leads without an event before their asOf (with events). */
  withoutEvents?: number;
}

/**
 * Each lead's cutoff: its asOf column plus offsetDays, or the fixed time. NaN where the
 * column is empty. The column must be a timestamp column of the frame.
 */
export function cutoffTimes(frame: Frame, asOf: AsOfConfig, configName = 'config'): Float64Array {
  if ('fixed' in asOf) {
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(asOf.fixed) ? `${asOf.fixed}T00:00:00Z` : asOf.fixed);
    return new Float64Array(frame.rowCount).fill(t);
  }
  const column = frame.columns.find((c) => c.name === asOf.column);
  if (!column) throw new InputError(`${configName}: asOf.column: no column "${asOf.column}" in ${frame.source}`);
  if (column.type !== 'timestamp') {
    throw new InputError(
      `${configName}: asOf.column: column "${asOf.column}" is ${column.type}, not a timestamp (declare it under columns: with type timestamp)`,
    );
  }
  const offset = asOf.offsetDays * DAY_MS;
  return column.values.map((v) => v + offset);
}

/**
 * Each lead's first won deal (epoch ms), for pointInTimeRows: read once per run from the
 * config's outcomes (empty without them). Checks first that the config can make a
 * point-in-time set (an asOf, and outcomes when the label comes from them).
 */
export async function pointInTimeWins(loaded: LoadedConfig): Promise<Map<string, number>> {
  const { config } = loaded;
  const configName = path.basename(loaded.file);
  if (!config.asOf)
    throw new InputError(
      `${configName}: asOf: needed for point-in-time features (a column, a column plus offsetDays, or fixed)`,
    );
  if ('fromOutcomes' in config.label && !config.outcomes)
    throw new InputError(`${configName}: label.fromOutcomes needs an outcomes: section`);
  return config.outcomes ? await readFirstWins(config.outcomes) : new Map<string, number>();
}

/**
 * The point-in-time rows of `frame` (all of a file, or a chunk of it: each row is decided on
 * its own): leads with an asOf that had not converted by then, each with its asOf and, with
 * `label.fromOutcomes`, the label from `wins` (see pointInTimeWins). No events yet.
 */
export function pointInTimeRows(loaded: LoadedConfig, frame: Frame, wins: ReadonlyMap<string, number>): PointInTimeSet {
  const { config } = loaded;
  const configName = path.basename(loaded.file);
  const cutoffs = cutoffTimes(frame, config.asOf!, configName);
  const horizon =
    'fromOutcomes' in config.label && config.label.horizonDays !== undefined
      ? config.label.horizonDays * DAY_MS
      : Infinity;
  const keep: number[] = [];
  const left = { convertedBefore: 0, noAsOf: 0 };
  for (let r = 0; r < frame.rowCount; r++) {
    const t = cutoffs[r]!;
    if (Number.isNaN(t)) left.noAsOf++;
    else if ((wins.get(frame.ids[r]!) ?? Infinity) <= t) left.convertedBefore++;
    else keep.push(r);
  }
  // A copy: the label and columns are replaced below, never the caller's frame.
  const kept: Frame = { ...(keep.length === frame.rowCount ? frame : takeRows(frame, keep)) };
  const asOf = Float64Array.from(keep, (r) => cutoffs[r]!);
  if ('fromOutcomes' in config.label) {
    kept.label = Uint8Array.from(kept.ids, (id, i) => {
      const won = wins.get(id);
      return won !== undefined && won > asOf[i]! && won <= asOf[i]! + horizon ? 1 : 0;
    });
  }
  return { frame: kept, asOf, left };
}

/** Refuses event aggregate columns named like a leads column of `frame`. */
export function refuseAggregateClash(configName: string, frame: Frame, added: readonly FrameColumn[]): void {
  const existing = new Set(frame.columns.map((c) => c.name));
  const clash = added.find((c) => existing.has(c.name));
  if (clash)
    throw new InputError(
      `${configName}: leads column "${clash.name}" has the name of an event aggregate; rename or exclude it`,
    );
}

/**
 * Builds a point-in-time training set from loaded leads (Feast-style point-in-time join):
 * - asOf per lead from `config.asOf` (required);
 * - leads whose first won deal closed at or before asOf are left out (already converted);
 * - with `label.fromOutcomes`, label = a won deal closing in (asOf, asOf + horizonDays];
 * - with `events`, the event aggregates of events strictly before asOf are appended.
 * Nothing at or after a row's asOf reaches its features, and no outcome at or before it its label.
 */
export async function buildPointInTimeSet(loaded: LoadedConfig, frame: Frame): Promise<PointInTimeSet> {
  const { config } = loaded;
  const configName = path.basename(loaded.file);
  const { frame: kept, asOf, left } = pointInTimeRows(loaded, frame, await pointInTimeWins(loaded));
  let withoutEvents: number | undefined;
  if (config.events) {
    const options = eventAggregateOptions(config.events);
    const conn = await openDuckDb();
    try {
      const table = await batchEventAggregates(conn, config.events, options, { ids: kept.ids, asOf });
      const added = aggregateFrameColumns(table, options);
      refuseAggregateClash(configName, kept, added);
      withoutEvents = table.withoutEvents();
      kept.columns = [...kept.columns, ...added];
    } finally {
      conn.closeSync();
    }
  }
  return { frame: kept, asOf, left, withoutEvents };
}
