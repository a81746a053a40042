/**
 * Gradient histograms built on several threads: each thread sums its own range of columns
 * over the node's rows (the way scikit-learn splits the work among its OpenMP threads), so a
 * histogram is the same, number for number, on any number of threads.
 *
 * The binned matrix, the row indices, the ordered gradients and the histograms live in
 * shared memory. The calling thread hands a node to the workers through a small shared
 * control block (Atomics), sums its own columns, then waits for theirs: `build` is
 * synchronous, as the tree grower is, and a round trip costs microseconds, not a message.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvariantError } from '../../features/errors.ts';
import { BINS_PER_FEATURE } from './feature-binner.ts';
import { buildHistogram, SLOT } from './histogram.ts';

/** Control block slots: the node handed out (sequence number, histogram slot, row range), then one done slot per worker. */
export const CONTROL = { seq: 0, slot: 1, start: 2, end: 3, stop: 4, done: 5 } as const;

/** What each worker thread is started with (see histogram-thread.ts). */
export interface HistogramThreadData {
  control: SharedArrayBuffer;
  bins: SharedArrayBuffer;
  rows: SharedArrayBuffer;
  grad: SharedArrayBuffer;
  hess: SharedArrayBuffer;
  arena: SharedArrayBuffer;
  nRows: number;
  cols: number;
  /** This worker's columns, `from..to-1`, and its done slot in the control block. */
  from: number;
  to: number;
  index: number;
}

/** Below this many cells (rows times columns) a node's histogram is summed on the calling thread alone. */
const SHARED_WORK_CELLS = 200_000;
/** Below this many cells of the whole matrix no thread is started: starting one costs more. */
const MIN_MATRIX_CELLS = 4_000_000;
/** How long to wait for a worker's share before concluding it is gone. */
const WORKER_TIMEOUT_MS = 120_000;

/** The threads a fit uses by default: every core, at most 4 (the histogram passes are bound by memory past that). */
export function defaultThreads(): number {
  return Math.min(4, availableParallelism());
}

/** The shared buffers of one boosting run and the worker threads summing histograms over them. */
export class HistogramThreads {
  readonly rows: Uint32Array;
  readonly orderedGrad: Float64Array;
  readonly orderedHess: Float64Array;
  private readonly control: Int32Array;
  private readonly arena: Float64Array;
  private readonly histogramLength: number;
  /** Histogram slots handed out so far (never given back: the grower keeps spares). */
  private taken = 0;
  /** The calling thread's columns: `0..mainTo-1`. */
  private readonly mainTo: number;

  private constructor(
    private readonly bins: Uint8Array,
    private readonly nRows: number,
    private readonly cols: number,
    private readonly workers: Worker[],
    buffers: Omit<HistogramThreadData, 'nRows' | 'cols' | 'from' | 'to' | 'index' | 'bins'>,
    private readonly slots: number,
    mainTo: number,
  ) {
    this.control = new Int32Array(buffers.control);
    this.rows = new Uint32Array(buffers.rows);
    this.orderedGrad = new Float64Array(buffers.grad);
    this.orderedHess = new Float64Array(buffers.hess);
    this.arena = new Float64Array(buffers.arena);
    this.histogramLength = cols * BINS_PER_FEATURE * SLOT;
    this.mainTo = mainTo;
  }

  /**
   * Starts `threads - 1` workers for a boosting run over `bins` (column-major, `cols` columns
   * of `nRows` rows), with room for `slots` histograms in shared memory; undefined when one
   * thread is asked for or the matrix is too small to gain from more.
   */
  static async open(
    bins: Uint8Array,
    nRows: number,
    cols: number,
    threads: number,
    slots: number,
  ): Promise<HistogramThreads | undefined> {
    const count = Math.min(Math.floor(threads), cols);
    if (count < 2 || nRows * cols < MIN_MATRIX_CELLS) return undefined;
    const sharedBins = new Uint8Array(new SharedArrayBuffer(bins.length));
    sharedBins.set(bins);
    const histogramBytes = cols * BINS_PER_FEATURE * SLOT * Float64Array.BYTES_PER_ELEMENT;
    const buffers = {
      control: new SharedArrayBuffer((CONTROL.done + count) * Int32Array.BYTES_PER_ELEMENT),
      rows: new SharedArrayBuffer(nRows * Uint32Array.BYTES_PER_ELEMENT),
      grad: new SharedArrayBuffer(nRows * Float64Array.BYTES_PER_ELEMENT),
      hess: new SharedArrayBuffer(nRows * Float64Array.BYTES_PER_ELEMENT),
      arena: new SharedArrayBuffer(slots * histogramBytes),
    };
    // Contiguous column ranges, as even as they come; the calling thread takes the first.
    const bounds = Array.from({ length: count + 1 }, (_, k) => Math.round((k * cols) / count));
    const workers: Worker[] = [];
    try {
      for (let k = 1; k < count; k++) {
        const data: HistogramThreadData = {
          ...buffers,
          bins: sharedBins.buffer as SharedArrayBuffer,
          nRows,
          cols,
          from: bounds[k]!,
          to: bounds[k + 1]!,
          index: k - 1,
        };
        const worker = new Worker(threadEntry(), { workerData: data });
        workers.push(worker);
        await new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new InvariantError(`histogram thread exited (${code}) on start`)));
        });
        worker.removeAllListeners();
        // A thread that fails later leaves `build` waiting until its time-out, which says so;
        // the error itself must not end the process as an unhandled event.
        worker.on('error', () => {});
        // A thread left waiting never keeps the process alive.
        worker.unref();
      }
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new HistogramThreads(sharedBins, nRows, cols, workers, buffers, slots, bounds[1]!);
  }

  /** A new histogram in shared memory, or undefined when every slot is taken. */
  takeHistogram(): Float64Array | undefined {
    if (this.taken === this.slots) return undefined;
    const slot = this.taken++;
    return this.arena.subarray(slot * this.histogramLength, (slot + 1) * this.histogramLength);
  }

  /** The slot of a histogram from takeHistogram; -1 for any other array. */
  private slotOf(histogram: Float64Array): number {
    if (histogram.buffer !== this.arena.buffer) return -1;
    return histogram.byteOffset / (this.histogramLength * Float64Array.BYTES_PER_ELEMENT);
  }

  /**
   * Sums `rows[start..end)` (gradients gathered into orderedGrad/orderedHess) into `out`, on
   * every thread when `out` is shared and the node is big enough; on this one otherwise.
   */
  build(out: Float64Array, start: number, end: number): void {
    const { bins, nRows, cols, rows, orderedGrad, orderedHess } = this;
    const slot = this.slotOf(out);
    if (slot < 0 || (end - start) * cols < SHARED_WORK_CELLS) {
      buildHistogram(out, bins, nRows, cols, rows, start, end, orderedGrad, orderedHess);
      return;
    }
    const c = this.control;
    c[CONTROL.slot] = slot;
    c[CONTROL.start] = start;
    c[CONTROL.end] = end;
    const seq = Atomics.add(c, CONTROL.seq, 1) + 1;
    Atomics.notify(c, CONTROL.seq);
    buildHistogram(out, bins, nRows, cols, rows, start, end, orderedGrad, orderedHess, 0, this.mainTo);
    for (let w = 0; w < this.workers.length; w++) {
      const at = CONTROL.done + w;
      for (let seen = Atomics.load(c, at); seen !== seq; seen = Atomics.load(c, at)) {
        if (Atomics.wait(c, at, seen, WORKER_TIMEOUT_MS) === 'timed-out')
          throw new InvariantError(`histogram thread ${w + 1} gave no answer in ${WORKER_TIMEOUT_MS / 1000} s`);
      }
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    Atomics.store(this.control, CONTROL.stop, 1);
    Atomics.add(this.control, CONTROL.seq, 1);
    Atomics.notify(this.control, CONTROL.seq);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The script each worker runs: the compiled module, or from the sources an entry that loads TypeScript first. */
function threadEntry(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./histogram-thread-entry.js', import.meta.url)
    : new URL('./histogram-thread.js', import.meta.url);
}
