import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import os from 'node:os';
import path from 'node:path';

/** A private `redis-server` on a free port, for benchmarks and tests (never 6379). */
export interface LocalRedis {
  port: number;
  url: string;
  /** The server's working directory (its append-only file lives here). */
  dir: string;
  process(): ChildProcess;
  /** Stops the server (SIGTERM: it flushes its append-only file first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

/** Options; defaults: no persistence, `redis-server` from PATH. */
export interface LocalRedisOptions {
  /** Persist with an append-only file (fsync on every write), so a restart keeps the queues. Default false. */
  appendOnly?: boolean;
  binary?: string;
  /** Require this password (`requirepass`); the URL then carries it. Default none. */
  password?: string;
  /** More `redis-server` arguments, e.g. `['--cluster-enabled', 'yes']` for a Redis Cluster node. Default none. */
  extraArgs?: string[];
  /** Serve TLS only (the URL is then `rediss://`), with these PEM files. Default plain TCP. */
  tls?: LocalRedisTls;
}

/** PEM files of a TLS-only local server. */
export interface LocalRedisTls {
  /** The server's certificate (valid for 127.0.0.1) and its key. */
  cert: string;
  key: string;
  /** The CA that signed it, and that client certificates must be signed by. */
  ca: string;
  /** Clients must present a certificate signed by `ca` (mutual TLS). Default false. */
  authClients?: boolean;
  /** A client certificate and key the readiness check can present when `authClients` is on. */
  clientCert?: string;
  clientKey?: string;
}

/** A port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a private redis-server and resolves once it answers. */
export async function startLocalRedis(options: LocalRedisOptions = {}): Promise<LocalRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leadscore-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  if (options.appendOnly) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  else args.push('--appendonly', 'no');
  if (options.password) args.push('--requirepass', options.password);
  const tls = options.tls;
  if (tls) {
    args.splice(args.indexOf('--port'), 2, '--port', '0', '--tls-port', String(port));
    args.push(
      '--tls-cert-file',
      tls.cert,
      '--tls-key-file',
      tls.key,
      '--tls-ca-cert-file',
      tls.ca,
      '--tls-auth-clients',
      tls.authClients ? 'yes' : 'no',
    );
  }
  if (options.extraArgs) args.push(...options.extraArgs);
  let child: ChildProcess;
  // A server must not outlive the process that started it, however that process ends.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  const launch = async (): Promise<void> => {
    child = spawn(options.binary ?? 'redis-server', args, { stdio: 'ignore' });
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    await waitForPort(port, child, tls);
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    port,
    url: `${tls ? 'rediss' : 'redis'}://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    dir,
    process: () => child,
    stop,
    restart: launch,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, tls: LocalRedisTls | undefined): Promise<void> {
  const deadline = Date.now() + 10_000;
  // Read once: the check below may run many times before the server listens.
  const tlsOptions: ConnectionOptions | undefined = tls && {
    ca: readFileSync(tls.ca),
    ...(tls.clientCert && tls.clientKey
      ? { cert: readFileSync(tls.clientCert), key: readFileSync(tls.clientKey) }
      : {}),
  };
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`redis-server exited with code ${child.exitCode} before listening on ${port}`);
    if (await ping(port, tlsOptions)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not answer on port ${port} within 10 s`);
}

/** Whether a PING on `port` gets its answer (through TLS with `tls`). */
function ping(port: number, tls: ConnectionOptions | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const send = (): void => void s.write('PING\r\n');
    const s = tls
      ? tlsConnect({ ...tls, port, host: '127.0.0.1' }, send)
      : new Socket().connect(port, '127.0.0.1', send);
    s.once('error', () => resolve(false));
    s.once('data', (d) => {
      s.destroy();
      const reply = d.toString();
      resolve(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}
