/**
 * The scoring thread's body (see scoring-thread.ts): loads the model version once, then turns
 * each chunk it is sent into the text of its output rows, in the order the chunks come.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RuleEventTally } from '../../models/rules/rule-event-tally.ts';
import { loadModelDir } from '../evaluate/load-model.ts';
import { collectGarbage } from '../io/collect-garbage.ts';
import { rowsText } from '../io/table-writer.ts';
import { scoreRows } from './score-rows.ts';
import type { ScoringJob, ScoringReply, ScoringThreadData } from './scoring-thread.ts';

const { dir, layout, reasons } = workerData as ScoringThreadData;
/** Bytes of ArrayBuffers (the chunks' number columns and encoded rows) past which the thread collects its garbage. */
const ARRAY_BYTES_KEPT = 64e6;
const port = parentPort!;
const loading = loadModelDir(dir);
// A failed load is told with the first chunk, not as an unhandled rejection.
loading.catch(() => {});
let queue = Promise.resolve();

port.on('message', (job: ScoringJob) => {
  queue = queue.then(() => run(job));
});

async function run(job: ScoringJob): Promise<void> {
  let reply: ScoringReply;
  try {
    const { model } = await loading;
    const { frame, asOf } = job;
    let tally: RuleEventTally | undefined;
    if (job.tally) {
      tally = new RuleEventTally(model.rules!.engine, frame.rowCount);
      tally.counts.set(job.tally.counts);
      tally.weights.set(job.tally.weights);
      tally.lastAt.set(job.tally.lastAt);
    }
    let text = '';
    for await (const rows of scoreRows(model, frame, asOf, tally, reasons)) text += rowsText(layout, rows);
    reply = { id: job.id, text, rows: frame.rowCount };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: job.id, error: { name: e.name, message: e.message, stack: e.stack } };
  }
  port.postMessage(reply);
  // The chunk's arrays are garbage now, but V8 counts them lightly and lets them pile up over
  // chunks: past a few chunks' worth they are collected, so memory stays that of a few chunks
  // without a full collection after every one.
  if (process.memoryUsage().arrayBuffers > ARRAY_BYTES_KEPT) collectGarbage();
}
