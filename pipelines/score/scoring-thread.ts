import { Worker } from 'node:worker_threads';
import { InputError } from '../../features/errors.ts';
import type { Frame } from '../../features/frame.ts';
import type { RuleEventTally } from '../../models/rules/rule-event-tally.ts';
import type { RowsLayout } from '../io/table-writer.ts';

/** What the scoring thread starts with. */
export interface ScoringThreadData {
  /** The model version's directory. */
  dir: string;
  layout: RowsLayout;
  reasons: number;
}

/** A chunk for the scoring thread: its frame with the event columns, scoring times and the rules' tally. */
export interface ScoringJob {
  id: number;
  frame: Frame;
  asOf: Float64Array | undefined;
  tally?: { counts: Float64Array; weights: Float64Array; lastAt: Float64Array };
}

/** The text of a chunk's output rows, or why it could not be made. */
export type ScoringReply =
  { id: number; text: string; rows: number } | { id: number; error: { name: string; message: string; stack?: string } };

/**
 * A thread that scores chunks of leads and writes their output rows as text (scoreRows, then
 * rowsText), so that `score` reads the next chunks (DuckDB, text conversion, event folds) on
 * the main thread while the model, the rules and the reasons work on another core. Chunks
 * are scored in the order they are sent, with the same code as in the main thread, so the
 * output is the same byte for byte. `close()` when done, also after a failure.
 */
export class ScoringThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<
    number,
    { resolve: (r: { text: string; rows: number }) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(data: ScoringThreadData) {
    this.worker = new Worker(threadEntry(), { workerData: data });
    this.worker.on('message', (reply: ScoringReply) => {
      const job = this.waiting.get(reply.id);
      if (!job) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) job.reject(threadError(reply.error));
      else job.resolve(reply);
    });
    this.worker.on('error', (err) => this.fail(new Error(`scoring thread failed: ${err.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`scoring thread stopped (exit code ${code})`)));
  }

  /**
   * The text of the output rows of a chunk (TableWriter.writeText takes it). The frame's
   * number columns, `asOf` and the tally's arrays are moved to the thread: the caller must
   * not read them afterwards.
   */
  score(
    frame: Frame,
    asOf: Float64Array | undefined,
    tally: RuleEventTally | undefined,
  ): Promise<{ text: string; rows: number }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const job: ScoringJob = {
      id,
      frame,
      asOf,
      ...(tally ? { tally: { counts: tally.counts, weights: tally.weights, lastAt: tally.lastAt } } : {}),
    };
    // The number arrays move to the thread instead of being copied: the caller hands them over.
    const moved = new Set<ArrayBuffer>();
    const move = (a: unknown) => {
      if (ArrayBuffer.isView(a) && a.buffer instanceof ArrayBuffer) moved.add(a.buffer);
    };
    for (const c of frame.columns) move(c.values);
    [asOf, job.tally?.counts, job.tally?.weights, job.tally?.lastAt].forEach(move);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(job, [...moved]);
    });
  }

  /** Stops the thread; chunks still being scored fail. */
  async close(): Promise<void> {
    this.failure ??= new Error('scoring thread closed');
    await this.worker.terminate();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const job of this.waiting.values()) job.reject(this.failure);
    this.waiting.clear();
  }
}

/** An error the thread sent back, as the class the CLI tells apart (bad input: exit code 2). */
function threadError(e: { name: string; message: string; stack?: string }): Error {
  const err = e.name === 'InputError' ? new InputError(e.message) : new Error(e.message);
  if (e.name !== 'InputError') err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

/** The script the thread runs: the compiled module, or from the sources an entry that loads TypeScript first. */
function threadEntry(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./scoring-thread-entry.js', import.meta.url)
    : new URL('./scoring-thread-main.js', import.meta.url);
}
