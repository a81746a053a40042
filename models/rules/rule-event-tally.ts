import type { EngagementEvent } from '../../features/events.ts';

/** What a tally needs of the engine (RuleEngine), named here so that the two files do not import each other. */
export interface EventCounter {
  readonly eventRuleCount: number;
  weightRate(asOf: number): number;
  countEvent(
    indices: readonly number[],
    age: number,
    properties: EngagementEvent['properties'],
    counts: Float64Array,
    weights: Float64Array,
    offset: number,
    rate: number,
  ): void;
}

/**
 * The event part of the rules for many leads at once, counted event by event in any order:
 * per lead (row) and event rule, how many of its events count and their decayed weights, and
 * the time of its latest event before its asOf. What the batch path folds from DuckDB's
 * columns instead of holding one object per event; `RuleEngine.scoreFrame` takes it in place
 * of the events and finishes each lead exactly as it does from an event list.
 */
export class RuleEventTally {
  /** Event rules per row. */
  readonly width: number;
  /** counts[row * width + rule]. */
  readonly counts: Float64Array;
  /** Decayed weights, laid out as `counts` (zero without half-life decay). */
  readonly weights: Float64Array;
  /** Latest event time before the row's asOf; -Infinity for a row without one. */
  readonly lastAt: Float64Array;

  constructor(
    private readonly engine: EventCounter,
    readonly rows: number,
  ) {
    this.width = engine.eventRuleCount;
    this.counts = new Float64Array(rows * this.width);
    this.weights = new Float64Array(rows * this.width);
    this.lastAt = new Float64Array(rows).fill(-Infinity);
  }

  /**
   * Counts an event at `at` of row `row`, whose asOf is `asOf`, for the rules at `indices`
   * (the engine's rules of its type; empty for a type no rule counts). Events at or after
   * asOf are ignored, as online.
   */
  add(
    row: number,
    indices: readonly number[],
    at: number,
    asOf: number,
    properties: EngagementEvent['properties'],
  ): void {
    if (!(at < asOf)) return;
    if (at > this.lastAt[row]!) this.lastAt[row] = at;
    if (indices.length > 0)
      this.engine.countEvent(
        indices,
        asOf - at,
        properties,
        this.counts,
        this.weights,
        row * this.width,
        this.engine.weightRate(asOf),
      );
  }
}
