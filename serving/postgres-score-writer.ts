import type pg from 'pg';
import { InputError } from '../features/errors.ts';
import { connectPostgres, postgresError, qualifiedTableName } from './postgres-connection.ts';

/** Scored leads, a column per field: what one write upserts. */
export interface ScoreRows {
  leadId: readonly string[];
  probability: readonly number[];
  /** 0-100. */
  score: readonly number[];
  tier: readonly string[];
  ruleScore: readonly (number | null)[];
  ruleTier: readonly (string | null)[];
  /** Each lead's reasons, as JSON text (an array). */
  reasons: readonly string[];
  modelVersion: readonly string[];
  /** Epoch milliseconds. */
  scoredAt: readonly number[];
}

/** Columns of a scores table, in order, with their PostgreSQL types. */
const columns: readonly (readonly [name: string, type: string, field: keyof ScoreRows])[] = [
  ['lead_id', 'text', 'leadId'],
  ['probability', 'double precision', 'probability'],
  ['score', 'integer', 'score'],
  ['tier', 'text', 'tier'],
  ['rule_score', 'double precision', 'ruleScore'],
  ['rule_tier', 'text', 'ruleTier'],
  ['reasons', 'jsonb', 'reasons'],
  ['model_version', 'text', 'modelVersion'],
  ['scored_at', 'timestamptz', 'scoredAt'],
];

/** Leads upserted per transaction by default. */
export const DEFAULT_POSTGRES_BATCH = 5000;

export interface PostgresScoreWriterOptions {
  /** Leads per transaction: a failure keeps every batch before it. Default 5000. */
  batchRows?: number;
  /** What messages name the destination by (a flag). Default `--to-postgres`. */
  where?: string;
}

/**
 * Writes scored leads to a PostgreSQL table, creating it when absent (lead id primary key,
 * probability, score, tier, rule score and tier, reasons as JSONB, model version, scoring
 * time), and upserting by lead id, a transaction per batch: a failure leaves the batches
 * before it committed, and writing the same leads again finishes the job. Used by `score
 * --to-postgres` and by the worker.
 */
export class PostgresScoreWriter {
  /** Leads committed so far. */
  rows = 0;
  readonly table: string;
  private readonly batchRows: number;

  private constructor(
    private readonly client: pg.Client,
    table: string,
    private readonly where: string,
    batchRows: number,
  ) {
    this.table = table;
    this.batchRows = batchRows;
  }

  /**
   * Connects, and creates `table` (`name` or `schema.name`) when absent; an existing table
   * lacking a column is refused naming it. Every fault is an InputError naming `where`.
   */
  static async open(
    url: string,
    table: string,
    options: PostgresScoreWriterOptions = {},
  ): Promise<PostgresScoreWriter> {
    const where = options.where ?? '--to-postgres';
    const name = qualifiedTableName(table, '--table');
    const client = await connectPostgres(url, where);
    try {
      const ddl = columns.map(([c, type]) => `${c} ${type}${c === 'lead_id' ? ' PRIMARY KEY' : ''}`).join(', ');
      await client.query(`CREATE TABLE IF NOT EXISTS ${name.sql} (${ddl})`);
      const { rows } = await client.query<{ name: string }>(
        `SELECT attname::text AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [name.sql],
      );
      const have = new Set(rows.map((r) => r.name));
      const missing = columns.map(([c]) => c).filter((c) => !have.has(c));
      if (missing.length > 0)
        throw new InputError(
          `--table ${table}: the table exists without column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
        );
    } catch (err) {
      await client.end().catch(() => {});
      throw postgresError(err, `--table ${table}`, url);
    }
    return new PostgresScoreWriter(client, name.sql, where, Math.max(1, options.batchRows ?? DEFAULT_POSTGRES_BATCH));
  }

  /** Upserts `rows` in batches of `batchRows`, a transaction each; a lead id given twice keeps its last row. */
  async write(rows: ScoreRows): Promise<void> {
    const n = rows.leadId.length;
    for (let start = 0; start < n; start += this.batchRows)
      await this.writeBatch(rows, start, Math.min(n, start + this.batchRows));
  }

  private async writeBatch(rows: ScoreRows, start: number, end: number): Promise<void> {
    // ON CONFLICT may not touch a row twice in one statement: the last score of a lead wins.
    const last = new Map<string, number>();
    for (let i = start; i < end; i++) last.set(rows.leadId[i]!, i);
    const take = [...last.values()];
    const params = columns.map(([, , field]) => {
      const values = rows[field];
      return field === 'scoredAt'
        ? take.map((i) => new Date(values[i] as number).toISOString())
        : take.map((i) => values[i]);
    });
    const list = columns.map(([c]) => c).join(', ');
    const unnest = columns.map(([, type], k) => `$${k + 1}::${type}[]`).join(', ');
    const update = columns
      .filter(([c]) => c !== 'lead_id')
      .map(([c]) => `${c} = EXCLUDED.${c}`)
      .join(', ');
    try {
      await this.client.query('BEGIN');
      await this.client.query(
        `INSERT INTO ${this.table} (${list}) SELECT * FROM unnest(${unnest}) ON CONFLICT (lead_id) DO UPDATE SET ${update}`,
        params,
      );
      await this.client.query('COMMIT');
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw postgresError(err, `${this.where} (table ${this.table})`);
    }
    this.rows += end - start;
  }

  /** Closes the connection; what was written stays. */
  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}
