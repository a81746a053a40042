import type { Command } from 'commander';
import { z } from 'zod';
import { InputError } from '../../../features/errors.ts';
import type { ScoreBatchQueue } from '../../../serving/index.ts';
import type { PostgresScoreSink } from '../../score/score-to-postgres.ts';
import { parseOption } from '../parse-option.ts';

/** `leadscore score`: batch scoring of a leads file with a model version. */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('Score a leads file: probability, score 0-100, tier, rule score and tier, top three reasons')
    .requiredOption('--model <dir>', 'model artifact directory')
    .requiredOption('--input <file>', 'leads file (same schema as the training data; no label needed)')
    .option('--output <file>', 'output file: .csv, .parquet or .jsonl (needed unless --to-postgres)')
    .option(
      '--to-postgres <url>',
      'also upsert the scores by lead id into a PostgreSQL table (--table), a transaction per batch; postgres://user@host:port/database, password in $PGPASSWORD',
    )
    .option('--table <name>', 'with --to-postgres: the table, name or schema.name, created when absent')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option(
      '--chunk <rows>',
      "leads scored at a time (memory grows with it, not with the input); default 25000, with --queue 5000 (a job each, at most the workers' --max-batch-leads)",
    )
    .option('--quiet', 'no progress on stderr')
    .option(
      '--allow-unknown-rule-columns',
      "score even when the model's rules name columns or event types the data lacks (refused by default: such rules never fire)",
    )
    .option(
      '--queue <name>',
      'score on the `leadscore serve` workers of this queue: each chunk is a score-batch job (resumable: a rerun reuses the chunks already scored)',
    )
    .option(
      '--redis <url>',
      "with --queue: the workers' Redis (default $LEADSCORE_REDIS_URL, $REDIS_URL or redis://127.0.0.1:6379); with --cluster, seed node URLs separated by commas",
    )
    .option('--cluster', 'with --queue: --redis names seed nodes of a Redis Cluster (needs a --prefix with a hash tag)')
    .option('--prefix <prefix>', "with --queue: the workers' BullMQ key prefix", 'bull')
    .option('--redis-ca <file>', "with a rediss:// --redis: PEM file of the CA that signed the server's certificate")
    .option('--redis-cert <file>', 'with a rediss:// --redis: PEM file of a client certificate (with --redis-key)')
    .option('--redis-key <file>', 'PEM file of the key of --redis-cert')
    .option('--in-flight <chunks>', 'with --queue: chunks in the queue or being scored at once', '8')
    .option('--keep-hours <hours>', "with --queue: hours the chunks' results stay in Redis for a rerun to reuse", '24')
    .option('--redis-timeout <ms>', 'with --queue: milliseconds to wait for Redis before giving up', '10000')
    .action(async (opts: ScoreOpts) => {
      if (opts.queue !== undefined) return scoreOnQueue(opts);
      await scoreHere(opts);
    });
}

interface ScoreOpts {
  model: string;
  input: string;
  output?: string;
  toPostgres?: string;
  table?: string;
  skipBadRows?: boolean;
  chunk?: string;
  quiet?: boolean;
  allowUnknownRuleColumns?: boolean;
  queue?: string;
  redis?: string;
  cluster?: boolean;
  prefix: string;
  redisCa?: string;
  redisCert?: string;
  redisKey?: string;
  inFlight: string;
  keepHours: string;
  redisTimeout: string;
}

/** How the leads are read and written, the same with --queue or without. */
function readOptions(opts: ScoreOpts) {
  return {
    input: opts.input,
    output: opts.output,
    skipBadRows: opts.skipBadRows,
    allowUnknownRuleColumns: opts.allowUnknownRuleColumns,
  };
}

/** Flags that mean nothing without --queue. */
const QUEUE_FLAGS = ['redis', 'cluster', 'redisCa', 'redisCert', 'redisKey'] as const;

async function scoreHere(opts: ScoreOpts): Promise<void> {
  const given = QUEUE_FLAGS.find((k) => opts[k] !== undefined);
  if (given) throw new InputError(`--${given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: needs --queue`);
  const [
    { loadModelDir },
    { runScore },
    { reportSkipped },
    { phaseProgress },
    { assertNotAnInput },
    { eventCoverageWarning },
  ] = await Promise.all([
    import('../../evaluate/load-model.ts'),
    import('../../score/run-score.ts'),
    import('../report-skipped.ts'),
    import('../progress.ts'),
    import('../../io/output-path.ts'),
    import('../../features/event-coverage.ts'),
  ]);
  const chunkRows = parseOption(z.coerce.number().int().positive().max(10_000_000), opts.chunk ?? '50000', '--chunk');
  if (opts.output === undefined && opts.toPostgres === undefined)
    throw new InputError('give --output FILE or --to-postgres URL --table NAME');
  if ((opts.toPostgres === undefined) !== (opts.table === undefined))
    throw new InputError('--to-postgres and --table go together');
  if (opts.output !== undefined) assertNotAnInput(opts.output, [opts.input]);
  const m = await loadModelDir(opts.model);
  const phases = phaseProgress({ quiet: opts.quiet });
  let sink: PostgresScoreSink | undefined;
  try {
    const { config } = m.loaded;
    if (opts.output !== undefined)
      assertNotAnInput(opts.output, [config.events?.path, config.outcomes?.path, config.rules]);
    if (opts.toPostgres !== undefined) {
      const { openPostgresScoreSink } = await import('../../score/score-to-postgres.ts');
      sink = await openPostgresScoreSink(opts.toPostgres, opts.table!, m.model.version);
    }
    const r = await runScore(m, { ...readOptions(opts), sink, chunkRows, phases }).catch((err: unknown) => {
      throw sink ? sink.explain(err) : err;
    });
    phases.stop();
    // Events matching almost none of the leads are told, never read as leads that were all quiet.
    const coverage =
      config.events && r.withoutEvents !== undefined
        ? eventCoverageWarning(config.events.path, r.rows, r.withoutEvents)
        : undefined;
    reportSkipped(r.skipped, coverage ? [...r.warnings, coverage] : r.warnings);
    // Leads without events are counted, never silently scored as if they had been quiet.
    const without =
      r.withoutEvents === undefined ? '' : `; ${r.withoutEvents} without an event before their scoring time`;
    process.stdout.write(`scored ${r.rows} leads with ${m.model.version}${without}\n`);
    if (sink)
      process.stdout.write(`upserted ${sink.rows} leads into ${opts.table}
`);
    if (opts.output !== undefined)
      process.stdout.write(`${opts.output}
`);
  } finally {
    await sink?.close();
    phases.stop();
    m.model.dispose();
  }
}

/** `score --queue`: the chunks scored by the workers of a queue (see runFanOutScore). */
async function scoreOnQueue(opts: ScoreOpts): Promise<void> {
  const [{ loadModelDir }, { runFanOutScore }, { reportSkipped }, { phaseProgress }, { assertNotAnInput }, serving] =
    await Promise.all([
      import('../../evaluate/load-model.ts'),
      import('../../score/fan-out-score.ts'),
      import('../report-skipped.ts'),
      import('../progress.ts'),
      import('../../io/output-path.ts'),
      import('../../../serving/index.ts'),
    ]);
  const chunkRows = parseOption(z.coerce.number().int().positive().max(100_000), opts.chunk ?? '5000', '--chunk');
  const inFlight = parseOption(z.coerce.number().int().positive().max(1000), opts.inFlight, '--in-flight');
  const keepHours = parseOption(
    z.coerce
      .number()
      .positive()
      .max(24 * 365),
    opts.keepHours,
    '--keep-hours',
  );
  const timeoutMs = parseOption(z.coerce.number().int().positive().max(600_000), opts.redisTimeout, '--redis-timeout');
  if (opts.toPostgres !== undefined) throw new InputError('--to-postgres: not with --queue; score there to a file');
  const output = opts.output;
  if (output === undefined) throw new InputError('--queue: needs --output FILE');
  assertNotAnInput(output, [opts.input]);
  const url = opts.redis ?? process.env['LEADSCORE_REDIS_URL'] ?? process.env['REDIS_URL'] ?? serving.DEFAULT_REDIS_URL;
  const target = { url, cluster: opts.cluster ?? false };
  const tls = serving.readRedisTlsFiles({ ca: opts.redisCa, cert: opts.redisCert, key: opts.redisKey }, target);
  const m = await loadModelDir(opts.model);
  const phases = phaseProgress({ quiet: opts.quiet });
  let queue: ScoreBatchQueue | undefined;
  try {
    const { config } = m.loaded;
    assertNotAnInput(output, [config.events?.path, config.outcomes?.path, config.rules]);
    queue = await serving.ScoreBatchQueue.open({
      redisUrl: url,
      cluster: target.cluster,
      ...(tls ? { tls } : {}),
      queue: opts.queue,
      prefix: opts.prefix,
      timeoutMs,
      keepSeconds: Math.round(keepHours * 3600),
    });
    const r = await runFanOutScore(m, {
      ...readOptions(opts),
      output,
      chunkRows,
      phases,
      queue,
      queueName: opts.queue!,
      inFlight,
    });
    phases.stop();
    reportSkipped(r.skipped, r.warnings);
    const workers = `${r.workers} worker${r.workers === 1 ? '' : 's'}`;
    process.stdout.write(
      `scored ${r.rows} leads with ${m.model.version} on ${workers} of queue ${opts.queue}; ${r.reused} of ${r.chunks} chunks reused from an earlier run\n`,
    );
    process.stdout.write(`${opts.output}\n`);
  } finally {
    phases.stop();
    await queue?.close();
    m.model.dispose();
  }
}
