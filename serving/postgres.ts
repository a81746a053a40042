/**
 * The PostgreSQL part of serving's public API, light enough for the batch commands: how to
 * connect and name tables, and the writer of scores to a table that both `score
 * --to-postgres` and the worker use. pipelines/ imports serving through this file, redis.ts
 * and index.ts only.
 */
export {
  checkPostgresUrl,
  connectPostgres,
  describePostgresUrl,
  postgresError,
  qualifiedTableName,
  quotePostgresIdent,
} from './postgres-connection.ts';
export {
  DEFAULT_POSTGRES_BATCH,
  PostgresScoreWriter,
  type PostgresScoreWriterOptions,
  type ScoreRows,
} from './postgres-score-writer.ts';
