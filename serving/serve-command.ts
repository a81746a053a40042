import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import { InputError } from '../features/errors.ts';
import type { StartWorkerOptions, Stopped, WorkerHandle } from './start-worker.ts';

/**
 * `leadscore serve`: runs the scoring worker until SIGINT or SIGTERM. The worker's code
 * is loaded only when the command runs, so other commands start without BullMQ.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the BullMQ scoring worker: score, score-batch and event jobs, tier-changed announcements, hot model reload',
    )
    .requiredOption('--model <dir>', 'model artifact directory, or a pointer file naming one (watched for changes)')
    .option('--model-key <key>', 'Redis key holding an artifact path; wins over --model when set')
    .option(
      '--redis <url>',
      'Redis URL, redis:// or rediss:// with user and password (default $LEADSCORE_REDIS_URL, $REDIS_URL or redis://127.0.0.1:6379); with --cluster, seed node URLs separated by commas',
    )
    .option('--cluster', 'connect to a Redis Cluster through the --redis seed nodes (needs a --prefix with a hash tag)')
    .option(
      '--redis-ca <file>',
      "with a rediss:// URL: PEM file of the CA that signed the server's certificate, when it is not one the system trusts",
    )
    .option(
      '--redis-cert <file>',
      'with a rediss:// URL: PEM file of a client certificate, for a server that asks for one (with --redis-key)',
    )
    .option('--redis-key <file>', 'PEM file of the key of --redis-cert')
    .option('--queue <name>', 'scoring queue name', 'leadscore')
    .option('--tier-queue <name>', 'queue receiving tier-changed jobs (default <queue>-tier-changed)')
    .option(
      '--prefix <prefix>',
      'BullMQ key prefix; on a Redis Cluster it must carry a hash tag, like {leadscore}',
      'bull',
    )
    .option('--concurrency <n>', 'jobs in flight at once, sharing model calls (per thread)', '64')
    .option(
      '--threads <n>',
      'scoring workers in threads of this process, each with its own connections and model copy: more cores for big batch jobs',
      '1',
    )
    .option('--metrics-port <port>', 'port of /metrics (Prometheus) and /health; 0 picks a free one', '9464')
    .option(
      '--metrics-host <address>',
      'address /metrics and /health bind to; 0.0.0.0 for scrapers and health checks from other machines',
      '127.0.0.1',
    )
    .option('--max-batch-leads <n>', 'largest score-batch job in leads', '5000')
    .option(
      '--max-leads-in-flight <n>',
      'leads of the jobs taken from the queue at once, roughly (shared by the threads): score-batch jobs are taken fewer at a time than --concurrency, to bound memory',
      '5000',
    )
    .option('--state-ttl-days <days>', "days a lead's online state lives after its last update", '30')
    .option('--max-events <n>', 'recent events kept per lead in the online state', '500')
    .option('--state-prefix <prefix>', 'key prefix of the online state (keep it free of braces)', 'leadscore:state')
    .option('--lock-duration <ms>', "milliseconds before a dead worker's jobs may be taken over", '30000')
    .option('--stalled-interval <ms>', 'milliseconds between looks for jobs of dead workers', '30000')
    .option('--reload-interval <ms>', 'milliseconds between looks for a new artifact; 0 turns hot reload off', '2000')
    .option(
      '--shutdown-timeout <seconds>',
      'seconds SIGINT/SIGTERM wait for the jobs in flight before stopping without them (a second signal stops at once)',
      '30',
    )
    .option(
      '--strict-attributes',
      'refuse a lead with an attribute name the model does not read (default: score it, with a warning in the result)',
    )
    .option(
      '--allow-schema-change',
      'hot-load a new artifact even when it reads other attribute columns or event types than the first one (default: refuse it, keep serving)',
    )
    .option(
      '--allow-unknown-rule-columns',
      'serve a model whose rules name columns or event types its training data lacked (default: refuse it)',
    )
    .option('--max-clock-skew <seconds>', "seconds an event time may run ahead of this machine's clock", '86400')
    .option('--max-payload-bytes <n>', 'largest job payload, in bytes of JSON', String(16 * 1024 * 1024))
    .option(
      '--max-state-bytes <n>',
      'largest attributes of one lead kept in the online state, in bytes of JSON',
      String(64 * 1024),
    )
    .option(
      '--to-postgres <url>',
      "also write each scored lead to a PostgreSQL table (--table), in batches off the jobs' path; postgres://user@host:port/database, password in $PGPASSWORD",
    )
    .option('--table <name>', 'with --to-postgres: the table, name or schema.name, created when absent')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent', 'info')
    .action(async (opts: Record<string, unknown>) => {
      const { startWorker } = await import('./start-worker.ts');
      const handle = await startWorker(opts as StartWorkerOptions);
      // Stopped without its jobs in flight, the process exits at once (its Redis connections
      // may still be retrying), with code 1; their locks expire and another worker takes them.
      const how = await untilStopped(handle);
      // Stopped by bad input (Redis refusing the password), one line and code 2.
      if (how instanceof InputError) {
        process.stderr.write(`leadscore: ${how.message}\n`);
        process.exit(2);
      }
      if (how !== 'finished') process.exit(1);
    });
}

/**
 * Closes the worker on SIGINT or SIGTERM, after its jobs in flight finish or the shutdown
 * timeout passes; a second signal stops at once, without them, and so does a failure the
 * worker cannot serve through (a worker thread died, as a crashed worker would for its
 * supervisor, or Redis refused the credentials: then the InputError saying so).
 */
async function untilStopped(handle: WorkerHandle): Promise<Stopped | 'forced' | Error> {
  const log = handle.logger;
  let onSignal!: (signal: NodeJS.Signals) => void;
  const stopped = new Promise<Stopped | 'forced' | Error>((resolve) => {
    let closing = false;
    const close = (): void => {
      closing = true;
      handle.close().then(resolve, (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'the worker did not close cleanly');
        resolve('forced');
      });
    };
    onSignal = (signal) => {
      if (closing) {
        log.warn({ signal }, 'second signal: stopping without the jobs in flight');
        resolve('forced');
        return;
      }
      log.info({ signal }, 'finishing jobs in flight, then exiting');
      close();
    };
    void handle.failed.then(async (err) => {
      // The jobs in flight cannot finish: give the close a moment (the metrics server), no more.
      if (!closing) await Promise.race([handle.close().catch(() => {}), delay(1000)]);
      resolve(err);
    });
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
