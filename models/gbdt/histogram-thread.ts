/**
 * A worker thread of HistogramThreads: waits for a node in the shared control block, sums
 * its own columns of that node's histogram into shared memory, says it is done, and waits
 * for the next, until told to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BINS_PER_FEATURE } from './feature-binner.ts';
import { buildHistogram, SLOT } from './histogram.ts';
import { CONTROL, type HistogramThreadData } from './histogram-threads.ts';

const data = workerData as HistogramThreadData;
const control = new Int32Array(data.control);
const bins = new Uint8Array(data.bins);
const rows = new Uint32Array(data.rows);
const grad = new Float64Array(data.grad);
const hess = new Float64Array(data.hess);
const arena = new Float64Array(data.arena);
const length = data.cols * BINS_PER_FEATURE * SLOT;
const done = CONTROL.done + data.index;

// The sequence number is read before saying ready: the first node may be handed out as soon
// as the caller hears it, and a number read after that would already count it as seen.
let seen = Atomics.load(control, CONTROL.seq);
parentPort!.postMessage('ready');
for (;;) {
  Atomics.wait(control, CONTROL.seq, seen);
  seen = Atomics.load(control, CONTROL.seq);
  if (Atomics.load(control, CONTROL.stop) === 1) break;
  const slot = control[CONTROL.slot]!;
  const out = arena.subarray(slot * length, (slot + 1) * length);
  const start = control[CONTROL.start]!;
  const end = control[CONTROL.end]!;
  buildHistogram(out, bins, data.nRows, data.cols, rows, start, end, grad, hess, data.from, data.to);
  Atomics.store(control, done, seen);
  Atomics.notify(control, done);
}
