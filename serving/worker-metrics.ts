import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The worker's Prometheus metrics, on a registry of its own (several workers in one
 * process, as in tests, do not collide).
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  /** Jobs finished, by kind and outcome (`completed`, `invalid`, `failed`). */
  readonly jobs = new Counter({
    name: 'leadscore_jobs_total',
    help: 'Scoring jobs finished, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  /** Time from a job's start in the worker to its result. */
  readonly latency = new Histogram({
    name: 'leadscore_job_duration_seconds',
    help: 'Processing time of a scoring job in the worker',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  /** Leads scored, by the tier they landed in. */
  readonly tiers = new Counter({
    name: 'leadscore_leads_scored_total',
    help: 'Leads scored, by tier',
    labelNames: ['tier'] as const,
    registers: [this.registry],
  });
  readonly tierChanges = new Counter({
    name: 'leadscore_tier_changes_total',
    help: 'Tier changes announced on the tier-changed queue',
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'leadscore_model_batch_leads',
    help: 'Leads per model call (micro-batching across jobs)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
    registers: [this.registry],
  });
  /** Jobs taken from the queue at once: the concurrency, or fewer while batch jobs carry many leads (FetchWindow). */
  readonly fetchWindow = new Gauge({
    name: 'leadscore_fetch_window_jobs',
    help: 'Jobs the worker takes from the queue at once (its concurrency, lowered while score-batch jobs carry many leads)',
    registers: [this.registry],
  });
  /** 1 for the model version being served. */
  readonly modelInfo = new Gauge({
    name: 'leadscore_model_info',
    help: 'The model version being served (value 1)',
    labelNames: ['version'] as const,
    // Worker threads serving one version report it once, not once per thread.
    aggregator: 'max',
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: 'leadscore_model_reloads_total',
    help: 'Model reload attempts, by outcome (loaded, rejected)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Attribute names in payloads that the served model does not read (the results' warnings name them). */
  readonly unknownAttributes = new Counter({
    name: 'leadscore_unknown_attributes_total',
    help: 'Attribute names in payloads that the served model does not read, summed over leads',
    registers: [this.registry],
  });
  /** Leads whose attributes were checked: the denominator of the missing rates. */
  readonly checkedLeads = new Counter({
    name: 'leadscore_attribute_checked_leads_total',
    help: "Leads whose attributes were checked against the model's input columns",
    registers: [this.registry],
  });
  /** Leads without a value per model column: divided by checked leads, a field vanishing after a deploy shows. */
  readonly missingAttributes = new Counter({
    name: 'leadscore_attribute_missing_total',
    help: 'Checked leads without a value for a model input column (absent, null or empty), by column',
    labelNames: ['column'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'leadscore_' });
  }

  /** Adds what the attribute checks of one job saw (see AttributeCheck). */
  recordAttributes(columns: readonly string[], tally: { leads: number; missing: number[]; unknown: number }): void {
    if (tally.leads === 0) return;
    this.checkedLeads.inc(tally.leads);
    if (tally.unknown > 0) this.unknownAttributes.inc(tally.unknown);
    // Zero counts too, so every column has a series from the first lead on.
    for (let i = 0; i < columns.length; i++) this.missingAttributes.inc({ column: columns[i]! }, tally.missing[i]!);
  }

  /** Marks `version` as the one served. */
  setModelVersion(version: string): void {
    this.modelInfo.reset();
    this.modelInfo.set({ version }, 1);
  }
}
