import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../features/errors.ts';
import type { SwitchHook } from './model-registry.ts';
import type { PointerTls } from './publish-pointer.ts';

/** Where to publish the production pointer in Redis. */
export interface RedisTarget {
  url: string;
  key: string;
  /** The URL with any password hidden, and the key: for messages. */
  label: string;
  /** CA, client certificate and key (PEM text) for a `rediss://` URL, from `--redis-ca`, `--redis-cert`, `--redis-key`. */
  tls?: PointerTls;
}

/** The publishing flags of `models promote`, `models rollback` and `retrain`. */
export interface PublishOpts {
  redis?: string;
  key?: string;
  redisCa?: string;
  redisCert?: string;
  redisKey?: string;
}

/**
 * Adds `--redis`, `--key` and the TLS files of `--redis` to a command that switches the
 * production model (`when` prefixes the help of `--redis`, e.g. "with --promote: ").
 */
export function publishOptions(command: Command, when = ''): Command {
  return command
    .option('--redis <url>', `${when}also publish the production artifact path to this Redis (needs --key)`)
    .option('--key <key>', 'the Redis key serving workers watch (their --model-key)')
    .option('--redis-ca <file>', 'with a rediss:// --redis: PEM file of the CA that signed the server\'s certificate, when it is not one the system trusts')
    .option('--redis-cert <file>', 'with a rediss:// --redis: PEM file of a client certificate, for a server that asks for one (with --redis-key)')
    .option('--redis-key <file>', 'PEM file of the key of --redis-cert');
}

/** Checks `--redis` and `--key` (both or neither), and reads the TLS files, before anything changes. */
export function redisTarget(opts: PublishOpts): RedisTarget | null {
  const tls = pointerTls(opts);
  if (opts.redis === undefined && opts.key === undefined) {
    if (tls) throw new InputError(`--redis-${tls.flag}: needs --redis (and --key)`);
    return null;
  }
  if (opts.redis === undefined || opts.key === undefined) throw new InputError('--redis and --key go together: give both or neither');
  let u: URL;
  try {
    u = new URL(opts.redis);
  } catch {
    throw new InputError(`--redis: "${opts.redis}" is not a URL (redis://host:port)`);
  }
  if (u.password) u.password = '***';
  if (tls && u.protocol !== 'rediss:') throw new InputError(`--redis-${tls.flag}: a CA, certificate or key is for TLS, which needs a rediss:// URL (got ${u.toString()})`);
  return { url: opts.redis, key: opts.key, label: `${u.toString()} ${opts.key}`, ...(tls ? { tls: tls.material } : {}) };
}

/** The PEM files of the TLS flags, read and checked; null without any. `flag` names the first flag given, for messages. */
function pointerTls(opts: PublishOpts): { material: PointerTls; flag: string } | null {
  const files = { ca: opts.redisCa, cert: opts.redisCert, key: opts.redisKey };
  const given = (Object.keys(files) as (keyof typeof files)[]).filter((k) => files[k] !== undefined);
  if (given.length === 0) return null;
  if ((files.cert === undefined) !== (files.key === undefined)) {
    throw new InputError(`--redis-${files.cert === undefined ? 'key' : 'cert'}: a client certificate and its key go together: give --redis-cert and --redis-key both`);
  }
  const material: PointerTls = {};
  for (const k of given) {
    const file = files[k]!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(`--redis-${k}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!text.includes('-----BEGIN ')) throw new InputError(`--redis-${k}: ${file} holds no PEM block (-----BEGIN ...)`);
    material[k] = text;
  }
  return { material, flag: given[0]! };
}

/**
 * A registry hook that sets the Redis key to the new production directory before the file
 * pointer changes, so a Redis failure leaves both unchanged.
 */
export function publishHook(target: RedisTarget | null): SwitchHook | undefined {
  if (!target) return undefined;
  return async (version, dir) => {
    // ioredis is loaded only when a switch publishes: the commands import this module for their flags.
    const { publishPointer } = await import('./publish-pointer.ts');
    try {
      await publishPointer(target.url, target.key, dir, target.tls);
    } catch (err) {
      // One line: a TLS refusal's message from OpenSSL ends in a line break.
      const reason = (err as Error).message.replace(/\s*\n\s*/g, ' ').trim();
      throw new InputError(`--redis: cannot publish ${version} to ${target.label}: ${reason}; production unchanged`);
    }
  };
}
