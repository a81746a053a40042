import { InputError } from '../../features/errors.ts';
import { PostgresScoreWriter } from '../../serving/postgres.ts';
import type { Cell } from '../io/table-writer.ts';

/** Where `score` sends each chunk's rows besides (or instead of) its output file. */
export interface ScoreSink {
  /** Rows in the order of `scoreColumns`. */
  write(rows: Cell[][]): Promise<void>;
}

/** A scores table in PostgreSQL fed by `score --to-postgres URL --table NAME`. */
export interface PostgresScoreSink extends ScoreSink {
  /** Leads committed so far. */
  readonly rows: number;
  /** `err` with how far the table got, when some batches were committed before it. */
  explain(err: unknown): unknown;
  close(): Promise<void>;
}

/**
 * Opens the scores table (created when absent; faults are InputErrors before any lead is
 * scored) and returns a sink upserting each chunk's rows: lead id, probability, score, tier,
 * rule score and tier, the reasons as a JSON array of their texts, `modelVersion`, and the
 * run's start as the scoring time.
 */
export async function openPostgresScoreSink(
  url: string,
  table: string,
  modelVersion: string,
  scoredAt = Date.now(),
): Promise<PostgresScoreSink> {
  const writer = await PostgresScoreWriter.open(url, table);
  return {
    get rows() {
      return writer.rows;
    },
    async write(rows) {
      const col = <T>(k: number) => rows.map((r) => r[k] as T);
      await writer.write({
        leadId: col<string>(0),
        probability: col<number>(1),
        score: col<number>(2),
        tier: col<string>(3),
        ruleScore: col<number | null>(4),
        ruleTier: col<string | null>(5),
        reasons: rows.map((r) => JSON.stringify(r.slice(6).filter((x) => x !== null))),
        modelVersion: rows.map(() => modelVersion),
        scoredAt: rows.map(() => scoredAt),
      });
    },
    explain(err) {
      if (writer.rows === 0 || !(err instanceof Error)) return err;
      const message = `${err.message} (${writer.rows} leads were written to ${writer.table} before it stopped; a rerun upserts them again and finishes)`;
      return err instanceof InputError ? new InputError(message, err.details) : new Error(message, { cause: err });
    },
    close: () => writer.close(),
  };
}
