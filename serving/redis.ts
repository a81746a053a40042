/**
 * The Redis part of serving's public API, light enough to import where no Redis client is
 * wanted yet (a command checking its flags): how to reach Redis (URL, TLS material and
 * their checks) and the production pointer. pipelines/ imports serving through this file
 * and index.ts only.
 */
export {
  checkRedisTls,
  DEFAULT_REDIS_URL,
  readRedisTlsFiles,
  redactRedisUrl,
  type RedisTarget,
  type RedisTls,
  type RedisTlsFiles,
} from './redis-target.ts';
export { publishProductionPointer, readProductionPointer } from './production-pointer.ts';
