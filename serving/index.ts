/**
 * The serving public API: job payload and result schemas (the contract with calling
 * services), the client, and the worker for services that embed it.
 */
export {
  JobKind,
  LeadEvent,
  LeadPayload,
  ScoreJobData,
  ScoreBatchJobData,
  scoreBatchJobData,
  EventJobData,
  TierChangedJobData,
  DEFAULT_MAX_BATCH_LEADS,
  DEFAULT_QUEUE,
} from './job-schemas.ts';
export {
  ScoreReason,
  ScoreResult,
  BatchLeadResult,
  ScoreBatchResult,
  EventResult,
  batchScoreResults,
} from './result-schemas.ts';
export { LeadScoringClient, type LeadScoringClientOptions } from './lead-scoring-client.ts';
export { ScoringWorker, type ScoringWorkerOptions } from './scoring-worker.ts';
export { OnlineState, type OnlineStateOptions, type LeadState } from './online-state.ts';
export { createRedisConnection, createClusterConnection, connectRedis, type RedisClient } from './redis-connection.ts';
export * from './redis.ts';
export * from './postgres.ts';
export { startWorker, ServeOptions, type StartWorkerOptions, type WorkerHandle, type Stopped } from './start-worker.ts';
export { WorkerPool } from './worker-pool.ts';
export {
  ScoreBatchQueue,
  RedisUnreachableError,
  type ScoreBatchQueueOptions,
  type BatchJobState,
  type FinishedBatchJob,
} from './score-batch-queue.ts';
export type { ServableModel, ModelLoader, LeadInput, LeadScoreResult } from './servable-model.ts';
