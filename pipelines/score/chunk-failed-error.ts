/**
 * A chunk of a fan-out run failed on the workers for another reason than its input (its
 * attempts ran out on a fault that persisted): a rerun sends it again.
 */
export class ChunkFailedError extends Error {
  override name = 'ChunkFailedError';
}
