import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { InputError, InvariantError } from '../../features/errors.ts';
import type {
  BatchJobState,
  BatchLeadResult,
  FinishedBatchJob,
  LeadPayload,
  ScoreBatchQueue,
} from '../../serving/index.ts';
import type { LoadedModel } from '../evaluate/load-model.ts';
import { throwBadRows, type BadRow } from '../io/load-leads.ts';
import { noPhases } from '../io/phases.ts';
import { TableWriter, type Cell } from '../io/table-writer.ts';
import { ChunkFailedError } from './chunk-failed-error.ts';
import { chunkPayloads } from './chunk-payloads.ts';
import { openLeadChunks, type LeadChunk } from './lead-chunks.ts';
import { chunkRowsOf, scoreColumnTypes, type ScoreOptions, type ScoreSummary } from './run-score.ts';
import { reasonText } from '../../models/reasons.ts';

/** Options of a scoring run spread over the workers of a queue. */
export interface FanOutOptions extends Omit<ScoreOptions, 'reasons' | 'asOf' | 'output' | 'sink'> {
  output: string;
  /** The queue the `serve` workers take jobs from, opened (ScoreBatchQueue.open). */
  queue: ScoreBatchQueue;
  /** Its name, for messages. */
  queueName: string;
  /** Chunks in the queue or being scored at once (memory grows with it). Default 8. */
  inFlight?: number;
}

/** What a fan-out run did, besides what `score` reports. */
export interface FanOutSummary extends ScoreSummary {
  chunks: number;
  /** Chunks whose results an earlier run of the same input left in Redis. */
  reused: number;
  /** Distinct workers that scored this run's chunks (reused ones included). */
  workers: number;
}

/** A chunk in the queue: its rows' ids and where they come from, its payload until it is done. */
interface Pending {
  index: number;
  ids: readonly string[];
  rowNumbers: readonly number[];
  payload: LeadPayload[] | undefined;
  job: string;
  done: Promise<FinishedBatchJob>;
  /** Whether `done` has settled. */
  finished: boolean;
}

/**
 * `score` spread over BullMQ workers: the leads are read and converted a chunk at a time as
 * `score` reads them, each chunk goes to the queue as a `score-batch` job (with each lead's
 * events before its scoring time, and that time) and the results are written in input
 * order, in `score`'s columns and formats, as they come back.
 *
 * One model version per run: a chunk scored by another version stops the run (InputError
 * naming both), never reaches the output. Job ids come from a fingerprint of the input
 * (leads and events files, how they are read), the model version and the chunk number, so a
 * rerun after a crash finds the chunks already scored and reuses their results. A chunk
 * the workers refuse as bad input stops the run with its row (nothing is written under the
 * output's name), or with `skipBadRows` is sent again without that lead.
 */
export async function runFanOutScore(m: LoadedModel, options: FanOutOptions): Promise<FanOutSummary> {
  const { loaded, model } = m;
  const { config } = loaded;
  const q = options.queue;
  const phases = options.phases ?? noPhases;
  const chunkRows = chunkRowsOf(options);
  const version = model.version;
  phases.phase('fingerprinting the input');
  const run = await fingerprint([options.input, config.events?.path], {
    version,
    chunkRows,
    skipBadRows: options.skipBadRows ?? false,
    asOf: config.asOf ?? null,
  });
  // Leads without a time of their own are scored as of the first run's start, reruns included.
  const noted = await q.getNote(`${run}:asOf`);
  const asOf = noted !== null ? Number(noted) : Date.now();
  if (noted === null) await q.setNote(`${run}:asOf`, String(asOf));
  const jobId = (k: number) => `score-${run}-${version.replace(/[^\w.-]/g, '_')}-${k}`;
  const inFlight = Math.max(1, options.inFlight ?? 8);

  const source = await openLeadChunks(m, { ...options, asOf, chunkRows });
  let writer: TableWriter | undefined;
  const pending: Pending[] = [];
  try {
    writer = await TableWriter.open(options.output, scoreColumnTypes);
    const skipped: BadRow[] = [];
    const warnings: string[] = [];
    const workers = new Set<string>();
    let reused = 0;
    let chunks = 0;
    const note = () => `${workers.size} worker${workers.size === 1 ? '' : 's'} seen`;
    const writeNext = async (): Promise<void> => {
      const p = pending.shift()!;
      let outcome = await p.done;
      // A lead the workers refuse: its row is reported, and with skipBadRows the rest go again.
      while (outcome.state === 'failed') {
        const bad = badLead(outcome.reason, p);
        if (!bad)
          throw new ChunkFailedError(
            `chunk ${p.index + 1} failed on the workers of ${options.queueName}: ${outcome.reason}`,
          );
        throwBadRows(source.file, [bad.row], options.skipBadRows);
        skipped.push(bad.row);
        const keep = p.payload!.flatMap((lead, i) => (i === bad.index ? [] : [lead]));
        const ids = p.ids.filter((_, i) => i !== bad.index);
        const rowNumbers = p.rowNumbers.filter((_, i) => i !== bad.index);
        Object.assign(p, { payload: keep, ids, rowNumbers, job: `${p.job}-without-row-${bad.row.row}` });
        if (keep.length === 0)
          outcome = {
            state: 'completed',
            result: { modelVersion: version, scoredAt: 0, results: [] },
            worker: undefined,
          };
        else {
          await q.add(p.job, keep);
          outcome = await q.waitFor(p.job);
        }
      }
      const { result, worker } = outcome;
      if (worker) workers.add(worker);
      checkVersion(result.modelVersion, result.results, version, p, options.queueName);
      if (result.results.length !== p.ids.length || result.results.some((r, i) => r.leadId !== p.ids[i]))
        throw new InvariantError(`chunk ${p.index + 1} (job ${p.job}): the results are not those of its leads`);
      await writer!.write(result.results.map(outputRow));
      phases.count(writer!.rows + skipped.length, source.rowCount, 'leads', note());
    };

    // The next chunk's job is looked up while this one is read and sent: one round trip
    // fewer on the way of every chunk.
    let ahead: { index: number; state: Promise<BatchJobState> } | undefined;
    const lookup = (index: number): Promise<BatchJobState> => {
      const state = ahead?.index === index ? ahead.state : q.lookup(jobId(index));
      ahead = { index: index + 1, state: q.lookup(jobId(index + 1)) };
      // Seen when its chunk comes; a run that stops before then does not wait for it.
      ahead.state.catch(() => {});
      return state;
    };

    phases.phase(`scoring on the workers of ${options.queueName}`);
    for await (const chunk of source.chunks()) {
      chunks++;
      warnings.push(...chunk.warnings);
      skipped.push(...chunk.bad);
      const p = await submit(chunk);
      if (p) pending.push(p);
      while (pending.length >= inFlight) await writeNext();
      // Chunks already finished are written at once.
      while (pending.length > 0 && pending[0]!.finished) await writeNext();
    }
    while (pending.length > 0) await writeNext();
    if (writer.rows + skipped.length < source.rowCount)
      throw new InvariantError(
        `fan-out score: ${source.rowCount} rows in ${source.file} but ${writer.rows} scored and ${skipped.length} skipped`,
      );
    phases.phase('writing');
    await writer.commit();
    return { rows: writer.rows, skipped, warnings, chunks, reused, workers: workers.size };

    /** Sends a chunk to the queue, unless an earlier run left its results there (reused). */
    async function submit(chunk: LeadChunk): Promise<Pending | undefined> {
      const { frame } = chunk;
      if (frame.rowCount === 0) return undefined;
      const job = jobId(chunk.index);
      const base = { index: chunk.index, ids: frame.ids, rowNumbers: frame.rowNumbers, job };
      const before = await lookup(chunk.index);
      if (before.state === 'completed' && before.result.modelVersion === version) {
        reused++;
        return { ...base, payload: undefined, done: Promise.resolve(before), finished: true };
      }
      // Scored by another version before, or failed: scored again (never mixed in).
      if (before.state === 'completed') await q.remove(job);
      // A chunk an earlier run left in the queue is not sent again.
      const sent = before.state !== 'pending';
      const payload = sent || options.skipBadRows ? await chunkPayloads(source.conn, config.events, model, chunk) : [];
      // The next chunk is read while Redis takes this one; its waiter is set once it is in
      // the queue (a failed job of an earlier run, replaced by the add, is not its outcome).
      const added = sent ? q.add(job, payload, before.state) : Promise.resolve();
      // Kept only to send again without a lead the workers refuse (--skip-bad-rows).
      const kept = options.skipBadRows ? payload : undefined;
      const p: Pending = { ...base, payload: kept, done: added.then(() => q.waitFor(job)), finished: false };
      // Seen by writeNext in order; meanwhile a rejection must not go unhandled.
      p.done.then(
        () => (p.finished = true),
        () => (p.finished = true),
      );
      return p;
    }
  } catch (err) {
    await writer?.abort();
    throw err;
  } finally {
    source.close();
  }
}

/** One output row of a worker's result, as scoreRows makes it from a local scoring. */
function outputRow(r: BatchLeadResult): Cell[] {
  const why = r.reasons;
  return [
    r.leadId,
    Number(r.probability.toFixed(6)),
    r.score,
    r.tier,
    r.ruleScore,
    r.ruleTier,
    ...Array.from({ length: 3 }, (_, j) => (why[j] ? reasonText(why[j]!) : null)),
  ];
}

/** Refuses a result from another model version than the run's (one version per run). */
function checkVersion(
  batch: string,
  results: readonly BatchLeadResult[],
  version: string,
  p: Pending,
  queue: string,
): void {
  const other =
    batch !== version ? batch : results.find((r) => r.modelVersion && r.modelVersion !== version)?.modelVersion;
  if (other)
    throw new InputError(
      `chunk ${p.index + 1} was scored with model ${other}, but this run scores with ${version}: serve ${version} on the workers of queue ${queue} (or score with --model for ${other})`,
    );
}

/** The lead a worker refused in a chunk (`invalid payload: leads.N.field: why`), as a bad row. */
function badLead(reason: string, p: Pending): { index: number; row: BadRow } | undefined {
  const m = /^invalid payload: leads\.(\d+)[.:]\s*([^\n]*)/.exec(reason);
  const row = m ? p.rowNumbers[Number(m[1])] : undefined;
  if (!m || row === undefined) {
    if (reason.startsWith('invalid payload:'))
      throw new InputError(
        `chunk ${p.index + 1} (rows ${p.rowNumbers[0]}-${p.rowNumbers.at(-1)}) refused by the workers: ${reason.split('\n')[0]}`,
      );
    return undefined;
  }
  return { index: Number(m[1]), row: { row, reason: m[2]! } };
}

/**
 * A short fingerprint of the input files' contents (a path that is not a regular file, a
 * glob say, by its name) and of how they are read and scored: a rerun of the same command
 * finds the same job ids.
 */
async function fingerprint(files: (string | undefined)[], how: Record<string, unknown>): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(how));
  for (const file of files) {
    if (file === undefined) continue;
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      isFile = false;
    }
    hash.update(isFile ? '\0file\0' : `\0${file}\0`);
    if (!isFile) continue;
    for await (const block of createReadStream(file)) hash.update(block as Buffer);
  }
  return hash.digest('hex').slice(0, 16);
}
