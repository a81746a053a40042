import type { EventAggregateOptions } from '../../features/event-aggregates.ts';
import { eventAggregateOptions } from '../../features/event-options.ts';
import type { EventsConfig } from '../../features/feature-config.ts';
import { takeNumbers, takeRows, type Frame } from '../../features/frame.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { openDuckDb } from '../io/duckdb.ts';
import type { Phases } from '../io/phases.ts';
import { loadLeads, type BadRow } from '../io/load-leads.ts';
import { aggregateFrameColumns, batchEventAggregates } from '../features/batch-event-aggregates.ts';
import { buildPointInTimeSet, cutoffTimes } from '../features/point-in-time.ts';
import { eventCoverageWarning } from '../features/event-coverage.ts';

/** Leads ready for features: point-in-time rows, their asOf, and their events for the rules. */
export interface PreparedData {
  frame: Frame;
  /** Time each row's features are taken at; absent for data without time (no asOf in the config). */
  asOf?: Float64Array;
  events?: EventAggregateOptions;
  /**
   * The events file, when the config has one and the rows have times: the rules' event part
   * is counted from it for the rows being scored (ruleTallyFor), never held whole.
   */
  eventsConfig?: EventsConfig;
  skipped: BadRow[];
  /** What the leads loader read in a way worth telling (see LoadResult.warnings). */
  warnings: string[];
  /** Leads without an event before their asOf; undefined without events. */
  withoutEvents?: number;
  /** Leads left out of a point-in-time set (converted before asOf, no asOf). */
  left?: { convertedBefore: number; noAsOf: number };
  /** The files read, for the artifact's fingerprint (`glob`: `path` is a pattern, every file it matches was read). */
  inputs: { role: string; path: string; glob?: boolean }[];
}

/** The prepared data restricted to `rows` (frame rows and their asOf; events stay keyed by lead). */
export function takeData(data: PreparedData, rows: ArrayLike<number>): PreparedData {
  return {
    ...data,
    frame: takeRows(data.frame, rows),
    asOf: data.asOf ? takeNumbers(data.asOf, rows) : undefined,
  };
}

export interface PrepareOptions {
  data?: string;
  skipBadRows?: boolean;
  /** Scoring input carries no label. Default true. */
  requireLabel?: boolean;
  /** Time to take features at when the config sets no asOf (epoch ms). Default: now. */
  asOf?: number;
  /** Told the phases: reading, features. */
  phases?: Phases;
}

/**
 * Loads a dataset config's leads and, when it declares time (asOf) and events or outcomes,
 * builds the point-in-time set: features as of each lead's asOf, label after it.
 */
export async function prepareData(loaded: LoadedConfig, options: PrepareOptions = {}): Promise<PreparedData> {
  const { config } = loaded;
  const requireLabel = options.requireLabel ?? true;
  const pointInTime = config.asOf !== undefined && (config.events !== undefined || 'fromOutcomes' in config.label);
  options.phases?.phase('reading');
  const loadedLeads = await loadLeads(loaded, {
    data: options.data,
    skipBadRows: options.skipBadRows,
    // With outcomes the label comes from the point-in-time join, not from the leads file.
    requireLabel: requireLabel && !pointInTime,
  });
  const inputs: PreparedData['inputs'] = [
    { role: 'leads', path: loadedLeads.frame.source, glob: !options.data && config.leads.glob },
  ];
  if (config.events) inputs.push({ role: 'events', path: config.events.path, glob: config.events.glob });
  if (config.outcomes && requireLabel)
    inputs.push({ role: 'outcomes', path: config.outcomes.path, glob: config.outcomes.glob });
  let frame = loadedLeads.frame;
  let asOf: Float64Array | undefined;
  let left: PreparedData['left'];
  let withoutEvents: number | undefined;
  const events = config.events ? eventAggregateOptions(config.events) : undefined;
  options.phases?.phase('features');
  if (pointInTime && requireLabel) {
    ({ frame, asOf, left, withoutEvents } = await buildPointInTimeSet(loaded, frame));
  } else if (config.asOf) {
    asOf = cutoffTimes(frame, config.asOf, loaded.file);
  } else if (events) {
    asOf = new Float64Array(frame.rowCount).fill(options.asOf ?? Date.now());
  }
  if (config.events && events && asOf && !(pointInTime && requireLabel)) {
    const conn = await openDuckDb();
    try {
      const table = await batchEventAggregates(conn, config.events, events, { ids: frame.ids, asOf });
      frame = { ...frame, columns: [...frame.columns, ...aggregateFrameColumns(table, events)] };
      withoutEvents = table.withoutEvents();
    } finally {
      conn.closeSync();
    }
  }
  const eventsConfig = config.events && asOf ? config.events : undefined;
  const warnings = [...loadedLeads.warnings];
  if (config.events && withoutEvents !== undefined) {
    const coverage = eventCoverageWarning(config.events.path, frame.rowCount, withoutEvents);
    if (coverage) warnings.push(coverage);
  }
  return {
    frame,
    asOf,
    events,
    eventsConfig,
    skipped: loadedLeads.skipped,
    warnings,
    withoutEvents,
    left,
    inputs,
  };
}
