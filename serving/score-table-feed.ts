import { reasonText } from '../models/reasons.ts';
import type { Logger } from './logger.ts';
import { PostgresScoreWriter } from './postgres-score-writer.ts';
import type { EventResult, ScoreBatchResult, ScoreResult } from './result-schemas.ts';

/** Where and how the worker writes each scored lead to PostgreSQL (`serve --to-postgres URL --table NAME`). */
export interface ScoreTableOptions {
  /** postgres://user@host:port/database. */
  url: string;
  /** `name` or `schema.name`, created when absent. */
  table: string;
  /** Leads per write (a transaction). Default 1000. */
  batchRows?: number;
  /** Milliseconds a scored lead may wait for its batch to fill. Default 200. */
  flushMs?: number;
  /** Leads held while PostgreSQL is unreachable, beyond which the oldest are dropped (and logged). Default 100,000. */
  maxBufferedRows?: number;
}

/** Scored leads waiting for their write, a column per field (see ScoreRows). */
class Columns {
  leadId: string[] = [];
  probability: number[] = [];
  score: number[] = [];
  tier: string[] = [];
  ruleScore: (number | null)[] = [];
  ruleTier: (string | null)[] = [];
  reasons: string[] = [];
  modelVersion: string[] = [];
  scoredAt: number[] = [];
}

/**
 * Feeds the worker's results to a scores table in batches, off the jobs' path: a job never
 * waits for PostgreSQL. One write is in flight at a time; a failed write is logged and its
 * leads kept for the next (up to `maxBufferedRows`), so a restart of PostgreSQL loses nothing
 * but what overflows. `close()` writes what is left.
 */
export class ScoreTableFeed {
  private pending = new Columns();
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Set by close(): no timer or write starts after it, but the last one close makes. */
  private closed = false;
  private readonly batchRows: number;
  private readonly flushMs: number;
  private readonly maxBuffered: number;

  private constructor(
    private readonly writer: PostgresScoreWriter,
    options: ScoreTableOptions,
    private readonly log: Logger,
  ) {
    this.batchRows = options.batchRows ?? 1000;
    this.flushMs = options.flushMs ?? 200;
    this.maxBuffered = options.maxBufferedRows ?? 100_000;
  }

  /** Connects and creates the table when absent; an InputError (naming the flag) when that fails. */
  static async open(options: ScoreTableOptions, log: Logger): Promise<ScoreTableFeed> {
    const writer = await PostgresScoreWriter.open(options.url, options.table, {
      batchRows: options.batchRows ?? 1000,
      where: 'serve: --to-postgres',
    });
    return new ScoreTableFeed(writer, options, log);
  }

  /** Leads written so far. */
  get written(): number {
    return this.writer.rows;
  }

  /** Queues the leads of a job's result: a score, a score-batch or an event job's. */
  take(out: ScoreResult | ScoreBatchResult | EventResult): void {
    if ('results' in out) {
      for (const r of out.results) this.push(r, r.modelVersion ?? out.modelVersion, out.scoredAt);
    } else if ('result' in out) this.push(out.result, out.result.modelVersion, out.result.scoredAt);
    else this.push(out, out.modelVersion, out.scoredAt);
    if (this.closed) return;
    if (this.pending.leadId.length >= this.batchRows) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  private push(r: Omit<ScoreResult, 'modelVersion' | 'scoredAt'>, modelVersion: string, scoredAt: number): void {
    const p = this.pending;
    p.leadId.push(r.leadId);
    p.probability.push(r.probability);
    p.score.push(r.score);
    p.tier.push(r.tier);
    p.ruleScore.push(r.ruleScore);
    p.ruleTier.push(r.ruleTier);
    p.reasons.push(JSON.stringify(r.reasons.map(reasonText)));
    p.modelVersion.push(modelVersion);
    p.scoredAt.push(scoredAt);
  }

  /** Starts a write of what is pending unless one is in flight (that one starts the next when done). */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.writing || this.pending.leadId.length === 0) return;
    const batch = this.pending;
    this.pending = new Columns();
    let failed = false;
    this.writing = this.writer
      .write(batch)
      .catch((err: unknown) => {
        failed = true;
        this.log.warn(
          { err: err instanceof Error ? err.message : String(err), count: batch.leadId.length },
          'writing scores to PostgreSQL failed; kept for the next write',
        );
        this.requeue(batch);
      })
      .finally(() => {
        this.writing = undefined;
        if (this.closed) return;
        // After a failure, PostgreSQL gets a few seconds before the next try.
        const wait = failed ? Math.max(this.flushMs, 2000) : this.flushMs;
        if (!failed && this.pending.leadId.length >= this.batchRows) this.flush();
        else if (this.pending.leadId.length > 0) this.timer ??= setTimeout(() => this.flush(), wait);
      });
  }

  /** Puts a failed batch back in front of what came since, dropping the oldest beyond the cap. */
  private requeue(batch: Columns): void {
    const merged = new Columns();
    const total = batch.leadId.length + this.pending.leadId.length;
    const drop = Math.max(0, total - this.maxBuffered);
    if (drop > 0) this.log.error({ count: drop }, 'scores dropped: PostgreSQL has been failing for too long');
    for (const key of Object.keys(merged) as (keyof Columns)[])
      (merged[key] as unknown[]) = [...(batch[key] as unknown[]), ...(this.pending[key] as unknown[])].slice(drop);
    this.pending = merged;
  }

  /** Writes what is pending (one more try for a batch that failed), then closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    if (this.pending.leadId.length > 0) {
      const batch = this.pending;
      this.pending = new Columns();
      await this.writer
        .write(batch)
        .catch((err: unknown) =>
          this.log.error(
            { err: err instanceof Error ? err.message : String(err), count: batch.leadId.length },
            'scores not written to PostgreSQL at close',
          ),
        );
    }
    await this.writer.close();
  }
}
