/** Default of the leads a worker takes from the queue at once (`--max-leads-in-flight`). */
export const DEFAULT_MAX_LEADS_IN_FLIGHT = 5000;

/**
 * How many jobs the worker takes from its queue at once, sized by the leads they carry.
 *
 * A concurrency of 64 suits `score` and `event` jobs (one lead each; their model calls are
 * shared). Taken 64 at a time, `score-batch` jobs of thousands of leads would all be
 * fetched, parsed and held in memory together, waiting their turn for the one scoring
 * thread, and the garbage collector would then spend more time than the scoring (it
 * copies and promotes every lead still waiting). The window follows the leads per job
 * and lets in `maxLeadsInFlight / leadsPerJob` jobs, between 1 and the concurrency.
 *
 * The leads per job rise at once to a bigger job's size, so memory is bounded from the
 * next fetch on, and fall back a fifth of the way per smaller job.
 */
export class FetchWindow {
  private leadsPerJob = 1;
  private jobs: number;

  constructor(
    /** The most jobs at once (the worker's concurrency). */
    private readonly maxJobs: number,
    /** The leads of the jobs taken at once, roughly (one job's worth is always let in). */
    private readonly maxLeadsInFlight: number,
    /** Applies a new number of jobs at once (BullMQ's `worker.concurrency`). */
    private readonly apply: (jobs: number) => void,
  ) {
    if (!(maxJobs >= 1) || !(maxLeadsInFlight >= 1))
      throw new RangeError(
        `FetchWindow: maxJobs (${maxJobs}) and maxLeadsInFlight (${maxLeadsInFlight}) must be at least 1`,
      );
    this.jobs = this.size();
  }

  /** Jobs let in at once now. */
  get current(): number {
    return this.jobs;
  }

  /** Notes a job of `leads` leads starting, and resizes the window when needed. */
  observe(leads: number): void {
    const n = Number.isFinite(leads) && leads > 1 ? leads : 1;
    this.leadsPerJob = n >= this.leadsPerJob ? n : this.leadsPerJob + (n - this.leadsPerJob) * 0.2;
    const jobs = this.size();
    if (jobs === this.jobs) return;
    this.jobs = jobs;
    this.apply(jobs);
  }

  private size(): number {
    return Math.max(1, Math.min(this.maxJobs, Math.floor(this.maxLeadsInFlight / this.leadsPerJob)));
  }
}

/** The leads a job carries: a `score-batch` job's lead count, else 1. */
export function leadsOfJob(name: string, data: unknown): number {
  if (name !== 'score-batch' || typeof data !== 'object' || data === null) return 1;
  const leads = (data as { leads?: unknown }).leads;
  return Array.isArray(leads) ? Math.max(1, leads.length) : 1;
}
