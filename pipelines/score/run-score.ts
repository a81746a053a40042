import os from 'node:os';
import { InvariantError } from '../../features/errors.ts';
import type { LoadedModel } from '../evaluate/load-model.ts';
import { eventsOfChunk } from '../features/events-of-chunk.ts';
import { collectGarbage } from '../io/collect-garbage.ts';
import type { BadRow } from '../io/load-leads.ts';
import { noPhases, type Phases } from '../io/phases.ts';
import { readAhead } from '../io/read-ahead.ts';
import { TableWriter, type WrittenColumn } from '../io/table-writer.ts';
import { openLeadChunks } from './lead-chunks.ts';
import { scoreRows } from './score-rows.ts';
import { ScoringThread } from './scoring-thread.ts';
import type { ScoreSink } from './score-to-postgres.ts';

export interface ScoreOptions {
  input: string;
  /** Output file; optional when `sink` takes the rows. */
  output?: string;
  /** Also takes each chunk's rows (a PostgreSQL table: see score-to-postgres.ts). Default none. */
  sink?: ScoreSink;
  /** Reasons per lead. Default 3. */
  reasons?: number;
  skipBadRows?: boolean;
  /** Scoring time when the config sets no asOf (epoch ms). Default: now. */
  asOf?: number;
  /** Leads scored at a time: memory grows with it, not with the input. Default 25,000. */
  chunkRows?: number;
  /** Phases and leads scored so far. */
  phases?: Phases;
  /** Score even when the model's rules name columns or event types the data lacks. Default false. */
  allowUnknownRuleColumns?: boolean;
  /**
   * Score and word the chunks on threads of their own while the next ones are read (see
   * ScoringThread): the same output, sooner on more than one core. Only with an output file
   * and no `sink`; default: with more than one core and at least 20,000 leads.
   */
  thread?: boolean;
}

/** Leads from which `score` scores on threads of its own by default: under it, starting them costs more than they save. */
const THREAD_MIN_ROWS = 20_000;
/**
 * Scoring threads at most: chunks go to them in turn while the main thread reads the next
 * ones. On two cores, two threads keep both busy (the main thread often waits on DuckDB);
 * more would wait on the main thread's reading.
 */
const SCORING_THREADS = 2;

export interface ScoreSummary {
  rows: number;
  skipped: BadRow[];
  /** What the leads were read with that is worth telling (see LoadResult.warnings). */
  warnings: string[];
  /** Leads scored without any event before their cutoff; undefined when the model takes no events. */
  withoutEvents?: number;
}

/** Output columns of `leadscore score`, with their types. */
export const scoreColumnTypes: readonly WrittenColumn[] = [
  { name: 'lead_id', type: 'VARCHAR' },
  { name: 'probability', type: 'DOUBLE' },
  { name: 'score', type: 'BIGINT' },
  { name: 'tier', type: 'VARCHAR' },
  { name: 'rule_score', type: 'DOUBLE' },
  { name: 'rule_tier', type: 'VARCHAR' },
  { name: 'reason_1', type: 'VARCHAR' },
  { name: 'reason_2', type: 'VARCHAR' },
  { name: 'reason_3', type: 'VARCHAR' },
];

/** Output columns of `leadscore score`. */
export const scoreColumns = scoreColumnTypes.map((c) => c.name);

/**
 * Scores a leads file with a model version: probability, 0-100 score, tier, the rules'
 * score and tier, and the top reasons in words; written as CSV, Parquet or JSON Lines.
 *
 * Streamed: leads are read, featurised, scored and written a chunk at a time, each chunk
 * with only its own leads' events (the events file is split by chunk once, in DuckDB), so
 * memory is bounded by the chunk, not the input. With more than one core, chunks are scored
 * and worded on scoring threads while the main thread reads the next ones (the same output).
 * The output appears under its name only when every row is written; a bad row stops the run
 * (row number, nothing written) unless `skipBadRows`.
 */
export async function runScore(m: LoadedModel, options: ScoreOptions): Promise<ScoreSummary> {
  const { loaded, model } = m;
  const { config } = loaded;
  const events = model.spec.events;
  const phases = options.phases ?? noPhases;
  const engine = model.rules?.engine;
  const source = await openLeadChunks(m, { ...options, chunkRows: chunkRowsOf(options, 25_000) });
  const { conn } = source;
  let writer: TableWriter | undefined;
  let threads: ScoringThread[] | undefined;
  let chunksSent = 0;
  try {
    if (options.output !== undefined) writer = await TableWriter.open(options.output, scoreColumnTypes);
    const reasons = options.reasons ?? 3;
    // Threads write text for the output file: a sink takes rows.
    const threaded =
      writer !== undefined &&
      options.sink === undefined &&
      (options.thread ?? (os.availableParallelism() > 1 && source.rowCount >= THREAD_MIN_ROWS));
    if (threaded)
      threads = Array.from(
        { length: Math.min(SCORING_THREADS, os.availableParallelism()) },
        () => new ScoringThread({ dir: m.dir, layout: writer!.layout, reasons }),
      );
    // Chunks on the threads, oldest first: each is written once the one before it is.
    const inFlight: Promise<void>[] = [];
    let last: Promise<void> = Promise.resolve();
    let scored = 0;
    const skipped: BadRow[] = [];
    const warnings: string[] = [];
    let withoutEvents = 0;
    phases.phase('scoring');
    // Each chunk with its events; the next one is read while this one is scored.
    async function* withEvents() {
      for await (const chunk of source.chunks()) {
        const parts = { config: config.events, aggregates: events, engine, from: chunk.eventsFrom };
        yield { chunk, ...(await eventsOfChunk(conn, chunk.frame, chunk.asOf, parts)) };
      }
    }
    for await (const { chunk, frame, withoutEvents: without, tally } of readAhead(withEvents())) {
      warnings.push(...chunk.warnings);
      skipped.push(...chunk.bad);
      const { asOf } = chunk;
      withoutEvents += without;
      if (threads && writer && frame.rowCount > 0) {
        const out = writer;
        const done = threads[chunksSent++ % threads.length]!.score(frame, asOf, tally);
        const bad = skipped.length;
        last = Promise.all([last, done]).then(async ([, r]) => {
          await out.writeText(r.text, r.rows);
          scored += r.rows;
          phases.count(scored + bad, source.rowCount, 'leads');
        });
        last.catch(() => {});
        inFlight.push(last);
        // At most one chunk waits beyond those being scored: memory stays that of a few chunks.
        if (inFlight.length > threads.length) await inFlight.shift();
        // What the chunks leave here is collected every few chunks: after each one, the full
        // collection of the reading's larger heap would cost more than it saves.
        if (chunksSent % 4 === 0) collectGarbage();
        continue;
      }
      if (frame.rowCount > 0) {
        for await (const rows of scoreRows(model, frame, asOf, tally, reasons)) {
          await writer?.write(rows);
          await options.sink?.write(rows);
          scored += rows.length;
        }
      }
      phases.count(scored + skipped.length, source.rowCount, 'leads');
      collectGarbage();
    }
    await last;
    // Every row the file has is scored or reported: never a silently short output.
    if (scored + skipped.length < source.rowCount)
      throw new InvariantError(
        `runScore: ${source.rowCount} rows in ${source.file} but ${scored} scored and ${skipped.length} skipped`,
      );
    phases.phase('writing');
    await writer?.commit();
    return { rows: scored, skipped, warnings, withoutEvents: events ? withoutEvents : undefined };
  } catch (err) {
    await writer?.abort();
    throw err;
  } finally {
    await Promise.all((threads ?? []).map((t) => t.close()));
    source.close();
  }
}

/** Leads per chunk of a scoring run (default `fallback`). */
export function chunkRowsOf(options: { chunkRows?: number }, fallback = 50_000): number {
  return Math.max(1, Math.floor(options.chunkRows ?? fallback));
}
