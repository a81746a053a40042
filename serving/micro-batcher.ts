import { ShapeMismatchError } from '../features/errors.ts';

/** Options of a micro-batcher; every field has a default. */
export interface MicroBatcherOptions {
  /** Items that trigger a flush at once. Default 256. */
  maxItems?: number;
  /**
   * Longest wait (ms) of a lone item for company before a flush. Default 2. Items that
   * come together (jobs delivered by one read from Redis, or a request of several) do not
   * wait: they are combined at the end of the event-loop turn that queued them.
   */
  maxWaitMs?: number;
}

interface Pending<I, O> {
  items: I[];
  resolve: (out: O[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Collects the items of concurrent requests (those queued in one event-loop turn; a lone
 * item waits a few milliseconds for company) and hands them to `process` in one call, so
 * a fixed per-call model cost is shared by every job in flight. Each request gets back the outputs of its own items, in order.
 *
 * When a combined call fails and it held several requests, each request is retried on
 * its own, so one bad request fails alone instead of taking its neighbours with it.
 */
export class MicroBatcher<I, O> {
  private readonly maxItems: number;
  private readonly maxWaitMs: number;
  private pending: Pending<I, O>[] = [];
  private pendingItems = 0;
  private timer: NodeJS.Timeout | undefined;
  /** A check at the end of this event-loop turn is scheduled (see `checkCompany`). */
  private checking = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly process: (items: I[]) => Promise<O[]>,
    options: MicroBatcherOptions = {},
    /** Called after each combined call with its number of items (for metrics). */
    private readonly onFlush?: (items: number) => void,
  ) {
    this.maxItems = options.maxItems ?? 256;
    this.maxWaitMs = options.maxWaitMs ?? 2;
  }

  /** Queues `items` for the next combined call; resolves to their outputs. */
  run(items: I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.pendingItems += items.length;
      if (this.pendingItems >= this.maxItems) this.flush();
      else {
        this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
        if (!this.checking) {
          this.checking = true;
          setImmediate(this.checkCompany);
        }
      }
    });
  }

  /**
   * At the end of an event-loop turn: requests that have company already are combined now
   * rather than after the timer; waiting longer would only leave the jobs behind them idle.
   */
  private readonly checkCompany = (): void => {
    this.checking = false;
    if (this.pendingItems > 1) this.flush();
  };

  /** Resolves when every combined call started so far has finished. */
  async drain(): Promise<void> {
    if (this.pending.length > 0) this.flush();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.pendingItems = 0;
    if (batch.length === 0) return;
    const done = this.processBatch(batch).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private async processBatch(batch: Pending<I, O>[]): Promise<void> {
    const items = batch.flatMap((p) => p.items);
    try {
      const out = await this.process(items);
      if (out.length !== items.length)
        throw new ShapeMismatchError(`batch produced ${out.length} outputs for ${items.length} items`);
      this.onFlush?.(items.length);
      let at = 0;
      for (const p of batch) {
        p.resolve(out.slice(at, at + p.items.length));
        at += p.items.length;
      }
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const p of batch) {
        try {
          const out = await this.process(p.items);
          this.onFlush?.(p.items.length);
          p.resolve(out);
        } catch (own) {
          p.reject(own);
        }
      }
    }
  }
}
