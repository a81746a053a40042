import { readFileSync } from 'node:fs';
import { InputError } from '../features/errors.ts';

/**
 * How to reach Redis: the URL, the TLS material and their checks, shared by the worker, the
 * client and the commands that publish the production model (pipelines/). This module
 * loads no Redis client, so that commands can check their flags without one.
 */

/** Default Redis URL when none is given. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** How to reach Redis: a URL, and whether it names seed nodes of a Redis Cluster. */
export interface RedisTarget {
  /**
   * `redis://[user:password@]host:port[/db]`, or `rediss://...` for TLS. With `cluster`, a
   * comma-separated list of such URLs, the seed nodes (one is enough; the others are found).
   */
  url: string;
  /** The URL names seed nodes of a Redis Cluster. Default false (a single server). */
  cluster?: boolean;
  /** Certificates for a `rediss://` URL beyond the system's trusted ones. Default none. */
  tls?: RedisTls;
}

/**
 * TLS material of `rediss://` connections, as PEM text: the certificate authority that
 * signed the server's certificate, when it is a private one, and the client's certificate
 * and key, for a server that asks for one (`tls-auth-clients yes`). Given to every node of
 * a Redis Cluster alike.
 */
export interface RedisTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Checks the TLS material of `target` against its URL (or seed URLs): an InputError naming `field` when they do not fit. */
export function checkRedisTls(target: RedisTarget, field = 'redis'): void {
  const tls = target.tls;
  if (!tls || (tls.ca === undefined && tls.cert === undefined && tls.key === undefined)) return;
  // A single server's URL is not split: its password may hold a comma.
  const urls = target.cluster ? target.url.split(',').map((u) => u.trim()) : [target.url.trim()];
  const plain = urls.find((u) => u !== '' && !u.startsWith('rediss://'));
  if (plain !== undefined)
    throw new InputError(
      `${field}: a CA, certificate or key is for TLS, which needs a rediss:// URL (got ${redactRedisUrl(plain)})`,
    );
  if ((tls.cert === undefined) !== (tls.key === undefined))
    throw new InputError(`${field}: a client certificate and its key go together: give both or neither`);
}

/** PEM files of a `rediss://` connection, as given on a command line (`--redis-ca`, `--redis-cert`, `--redis-key`). */
export interface RedisTlsFiles {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}

/**
 * Reads the TLS files of `--redis-ca`, `--redis-cert` and `--redis-key` before anything
 * connects, and checks them against the Redis URL (see checkRedisTls): an InputError,
 * prefixed with `context` (such as "serve: "), names the flag for a file that cannot be
 * read or holds no PEM block, a certificate without its key, and TLS files with a plain
 * `redis://` URL. Undefined when no file is given.
 */
export function readRedisTlsFiles(
  files: RedisTlsFiles,
  target: { url: string; cluster?: boolean },
  context = '',
): RedisTls | undefined {
  const given = (['ca', 'cert', 'key'] as const).filter((k) => files[k] !== undefined);
  if (given.length === 0) return undefined;
  if ((files.cert === undefined) !== (files.key === undefined)) {
    throw new InputError(
      `${context}--redis-${files.cert === undefined ? 'key' : 'cert'}: a client certificate and its key go together: give --redis-cert and --redis-key both`,
    );
  }
  const tls: RedisTls = {};
  for (const k of given) {
    const file = files[k]!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(
        `${context}--redis-${k}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    if (!text.includes('-----BEGIN '))
      throw new InputError(`${context}--redis-${k}: ${file} holds no PEM block (-----BEGIN ...)`);
    tls[k] = text;
  }
  checkRedisTls({ ...target, tls }, `${context}--redis-${given[0]}`);
  return tls;
}

/** The URL (or comma-separated URLs) with any password replaced by `***`, for logs. */
export function redactRedisUrl(url: string): string {
  const parts = url.split(',').map(redactOne);
  // A comma inside a single URL (an unencoded password) is not a list.
  return parts.length > 1 && parts.includes(UNPARSABLE) ? redactOne(url) : parts.join(',');
}

const UNPARSABLE = '(unparsable redis url)';

function redactOne(url: string): string {
  try {
    const u = new URL(url.trim());
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return UNPARSABLE;
  }
}
