import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import type { EventAggregateOptions } from '../../features/event-aggregates.ts';
import { eventAggregateOptions } from '../../features/event-options.ts';
import type { Frame } from '../../features/frame.ts';
import type { SplitConfig } from '../../training/index.ts';
import type { RuleEventTally } from '../../models/rules/rule-event-tally.ts';
import { eventsOfChunk } from '../features/events-of-chunk.ts';
import { ChunkedLeads, specColumnTypes } from '../features/chunked-leads.ts';
import { cutoffTimes, pointInTimeRows, pointInTimeWins, refuseAggregateClash } from '../features/point-in-time.ts';
import { checkLeadColumns, leadsFile, type BadRow } from '../io/load-leads.ts';
import type { Phases } from '../io/phases.ts';
import { readAhead } from '../io/read-ahead.ts';
import type { LoadedModel } from './load-model.ts';

export interface LabelledChunksOptions {
  /** Read this file instead of the config's leads file (same schema). */
  data?: string;
  skipBadRows?: boolean;
  /** Leads read at a time. Default 50,000. */
  chunkRows?: number;
  phases?: Phases;
  /** The rows carry a label (from the leads file or the outcomes). Default true. */
  requireLabel?: boolean;
  /** Count the rules' event part (for the rule scores). Default true. */
  rules?: boolean;
  /** Time to take features at when the config sets no asOf (epoch ms). Default: now. */
  asOf?: number;
  /** Columns besides the model's, its rules' and the config's to read (a split column, say). */
  columns?: readonly string[];
  /** Read every column of the file (as loadLeads does), not only those. Default false. */
  allColumns?: boolean;
}

/** One chunk of leads ready to score: as `prepareData` prepares the whole file, for these rows. */
export interface PreparedChunk {
  /** The chunk's rows that count (good, and point-in-time when the config says so), with the event aggregates. */
  frame: Frame;
  asOf?: Float64Array;
  /** The rules' event part. */
  tally?: RuleEventTally;
  bad: BadRow[];
  warnings: string[];
  labelsSeen: string[];
  /** Rows of the chunk without an event before their asOf. */
  withoutEvents: number;
}

/**
 * A model's dataset (its leads file, or `data`) prepared a chunk at a time, as `prepareData`
 * prepares it whole: the same rows kept (bad ones refused or skipped, the point-in-time set's
 * leads), the same labels, the same event aggregates and rule tallies, each chunk with only its
 * own leads' events. Memory is bounded by the chunk. `close()` when done.
 */
export class LabelledChunks {
  private constructor(
    private readonly m: LoadedModel,
    private readonly leads: ChunkedLeads,
    private readonly read: string[],
    private readonly only: Set<string> | undefined,
    private readonly options: LabelledChunksOptions,
    private readonly wins: ReadonlyMap<string, number> | undefined,
    private readonly aggregates: EventAggregateOptions | undefined,
  ) {}

  /** Opens the leads and checks their columns; with more than one chunk, tags the events by chunk. */
  static async open(m: LoadedModel, options: LabelledChunksOptions = {}): Promise<LabelledChunks> {
    const { loaded, model } = m;
    const { config } = loaded;
    const file = leadsFile(loaded, options.data);
    const requireLabel = options.requireLabel ?? true;
    const pointInTime = isPointInTime(m, requireLabel);
    const read = options.data
      ? { encoding: config.leads.encoding }
      : {
          format: config.leads.format,
          delimiter: config.leads.delimiter,
          glob: config.leads.glob,
          encoding: config.leads.encoding,
        };
    const leads = await ChunkedLeads.open(loaded, file, {
      chunkRows: options.chunkRows ?? 50_000,
      phases: options.phases,
      skipBadRows: options.skipBadRows,
      read,
    });
    try {
      // With outcomes the label comes from the point-in-time join, not from the leads file.
      const labelInFile = requireLabel && !pointInTime;
      if (leads.header.length === 0 && labelInFile) throw new InputError(`${file}: no rows (the file is empty)`);
      if (leads.header.length > 0) checkLeadColumns(loaded, file, leads.header, labelInFile);
      const only = new Set([
        ...Object.keys(config.columns),
        ...model.spec.encoders.map((e) => e.source),
        ...(model.rules?.engine.columns ?? []),
        ...(config.asOf && 'column' in config.asOf ? [config.asOf.column] : []),
        ...(options.columns ?? []),
        ...[splitColumnName(config.training.split)].filter((c) => c !== undefined),
      ]);
      const labelColumn = 'column' in config.label ? config.label.column : undefined;
      const names = options.allColumns
        ? leads.header
        : leads.header.filter((c) => only.has(c) || c === config.idColumn || c === labelColumn);
      const wins = pointInTime ? await pointInTimeWins(loaded) : undefined;
      const aggregates = config.events ? eventAggregateOptions(config.events) : undefined;
      await leads.prepare(config.events);
      return new LabelledChunks(m, leads, names, options.allColumns ? undefined : only, options, wins, aggregates);
    } catch (err) {
      leads.close();
      throw err;
    }
  }

  /** The leads file read. */
  get file(): string {
    return this.leads.file;
  }

  /** Rows of the file (see RawChunks.rowCount): how far `chunks` has come is counted against it. */
  get rowCount(): number {
    return this.leads.rowCount;
  }

  /**
   * The prepared chunks, in file order. With `rows` (file row numbers), only those rows are
   * converted and prepared: a second pass for a few rows costs the reading, not the rest;
   * `rules: false` leaves the rules' tally out.
   */
  chunks(rows?: ReadonlySet<number>, pass: { rules?: boolean } = {}): AsyncGenerator<PreparedChunk> {
    // The next chunk is read (leads, then its events in DuckDB) while the caller works on this one.
    return readAhead(this.prepared(rows, pass));
  }

  private async *prepared(rows?: ReadonlySet<number>, pass: { rules?: boolean } = {}): AsyncGenerator<PreparedChunk> {
    const { loaded, model } = this.m;
    const { config } = loaded;
    const configName = path.basename(loaded.file);
    const requireLabel = this.options.requireLabel ?? true;
    const engine = this.options.rules === false || pass.rules === false ? undefined : model.rules?.engine;
    const asOfNow = this.options.asOf ?? Date.now();
    const convert = {
      requireLabel: requireLabel && this.wins === undefined,
      types: specColumnTypes(model.spec),
      only: this.only,
    };
    for await (const chunk of this.leads.chunks(this.read, convert, rows)) {
      let frame = chunk.frame;
      let asOf: Float64Array | undefined;
      if (this.wins) ({ frame, asOf } = pointInTimeRows(loaded, frame, this.wins));
      else if (config.asOf) asOf = cutoffTimes(frame, config.asOf, configName);
      else if (this.aggregates) asOf = new Float64Array(frame.rowCount).fill(asOfNow);
      const parts = { config: config.events, aggregates: this.aggregates, engine, from: chunk.events };
      const withEvents = await eventsOfChunk(this.leads.conn, frame, asOf, parts);
      if (this.wins && withEvents.frame !== frame)
        refuseAggregateClash(configName, frame, withEvents.frame.columns.slice(frame.columns.length));
      yield {
        frame: withEvents.frame,
        asOf,
        tally: withEvents.tally,
        bad: chunk.bad,
        warnings: chunk.warnings,
        labelsSeen: chunk.labelsSeen,
        withoutEvents: withEvents.withoutEvents,
      };
    }
  }

  close(): void {
    this.leads.close();
  }
}

/** The column the training split is taken on (time or group), if any. */
export function splitColumnName(split: SplitConfig): string | undefined {
  return split.by === 'time' ? split.timeColumn : split.by === 'group' ? split.groupColumn : undefined;
}

/** Whether the model's config builds a point-in-time set for labelled rows (as prepareData does). */
export function isPointInTime(m: LoadedModel, requireLabel: boolean): boolean {
  const { config } = m.loaded;
  return requireLabel && config.asOf !== undefined && (config.events !== undefined || 'fromOutcomes' in config.label);
}
